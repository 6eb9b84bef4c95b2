/**
 * Request ids: taken from X-Request-Id when a trusted proxy sent it (REGISTRY_TRUST_PROXY: the
 * registry then trusts its client's headers, as for client addresses), otherwise made here (a random
 * UUID). Every response carries the id in X-Request-Id, every problem+json body in `instance`, every
 * log line of the request in `request_id`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const REQUEST_ID_LOG_LABEL = 'request_id';

/** Visible ASCII, no spaces, at most 128 characters: safe in a header, a log line and a URN. */
const ACCEPTED = /^[\x21-\x7e]{1,128}$/;

export function requestIdGenerator(trustProxy: boolean): (req: IncomingMessage) => string {
  if (!trustProxy) return () => randomUUID();
  return (req) => {
    const given = req.headers[REQUEST_ID_HEADER];
    return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
  };
}

// RFC 8141 NSS characters; anything else a proxy's id holds is percent-encoded.
const URN_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]+$/;

/**
 * The problem's `instance` (RFC 9457): `urn:synapse:request:<request id>`, a URI naming this occurrence
 * that the logs can be searched for.
 */
export function problemInstance(id: string): string {
  const nss = URN_SAFE.test(id)
    ? id
    : id.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `urn:synapse:request:${nss}`;
}
