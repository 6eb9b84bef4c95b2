import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DeliveryDeadline, requestError, statusError, type DeliveryError } from './delivery-outcome.ts';
import { guardedLookup } from './guarded-lookup.ts';
import { isPublicAddress, stripBrackets } from './public-address.ts';
import { signedHeaders } from './signing.ts';
import { parseWebhookUrl, type UrlPolicy } from './url-guard.ts';

export type { DeliveryError, DeliveryErrorCode } from './delivery-outcome.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
export const RESPONSE_EXCERPT_BYTES = 1024;
export const DEFAULT_USER_AGENT = 'Synapse-Registry-Webhooks/1';

export interface DeliveryRequest {
  url: string;
  msgId: string;
  timestamp: Date;
  body: string;
  /** Every secret signs (rotation grace: the new and the old one). */
  secrets: string[];
  policy: UrlPolicy;
  /** Whole attempt: DNS, connect, TLS, request and response body. */
  timeoutMs?: number;
  maxResponseBytes?: number;
  userAgent?: string;
  /** Cancels the attempt (shutdown); the result is then a timeout. */
  signal?: AbortSignal;
}

export interface DeliveryResult {
  /** The receiver answered 2xx. The event counts as accepted then, whatever happens to the body after. */
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** The first 1 KB of the response body as text (UTF-8, lossy); not sanitised: views strip control characters. */
  responseExcerpt: string;
  /** Response body bytes read (at most maxResponseBytes). */
  responseBytes?: number;
  /** The body was cut: longer than maxResponseBytes, or still arriving at the deadline. */
  responseTruncated?: boolean;
  error: null | DeliveryError;
}

interface Reading {
  status: number;
  location: string | undefined;
  excerpt: Buffer[];
  excerptBytes: number;
  bytes: number;
}

/**
 * Sends one signed webhook: POST of `body` as application/json with Standard Webhooks headers, to the
 * address the guard checked after resolving the URL's host at this very moment. Redirects are not
 * followed, the body is read up to `maxResponseBytes` and then the socket is destroyed, and the whole
 * attempt is cut at `timeoutMs`. Network outcomes never throw: they come back as `error`; only a caller
 * bug throws (no secret, a header value with a newline), before anything is sent.
 *
 * @example const result = await deliver({ url, msgId: 'msg_1', timestamp: new Date(), body, secrets, policy })
 */
export async function deliver(request: DeliveryRequest): Promise<DeliveryResult> {
  const started = performance.now();
  const parsed = parseWebhookUrl(request.url, request.policy);
  if (!parsed.ok) return failed(started, { code: 'invalid_url', message: parsed.message });
  // Node connects to an IP literal without any lookup, so the guard's lookup never sees one: check here.
  const host = stripBrackets(parsed.url.hostname);
  if (isIP(host) !== 0 && !request.policy.allowPrivate && !isPublicAddress(host)) {
    const message = `The webhook host ${host} is a loopback, private, link-local or reserved address; webhooks go only to public addresses`;
    return failed(started, { code: 'address_refused', message });
  }
  if (request.signal?.aborted) return failed(started, requestError(undefined, request.signal.reason ?? 'cancelled'));
  return send(parsed.url, request, started);
}

function send(url: URL, request: DeliveryRequest, started: number): Promise<DeliveryResult> {
  const headers = requestHeaders(request); // throws on a caller's bug (no secret, a newline in msgId) before any timer
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeliveryDeadline(timeoutMs)), timeoutMs);
  const cancel = () => controller.abort(request.signal?.reason ?? 'cancelled');
  request.signal?.addEventListener('abort', cancel, { once: true });

  return new Promise<DeliveryResult>((resolve) => {
    let reading: Reading | null = null;
    let settled = false;
    const finish = (error: DeliveryError | null, truncated: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', cancel);
      req.destroy();
      resolve(reading ? answered(started, reading, truncated) : failed(started, error ?? requestError(new Error('closed'), undefined)));
    };

    const client = url.protocol === 'https:' ? https : http;
    const req = client.request({
      method: 'POST',
      hostname: stripBrackets(url.hostname),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false, // a fresh connection per attempt: a pooled socket would skip the address check
      lookup: guardedLookup(request.policy, timeoutMs),
      signal: controller.signal,
    });
    req.on('error', (error) => finish(requestError(error, controller.signal.reason), true));
    req.on('response', (res) => {
      const current: Reading = { status: res.statusCode ?? 0, location: res.headers.location, excerpt: [], excerptBytes: 0, bytes: 0 };
      reading = current;
      res.on('data', (chunk: Buffer) => {
        const take = Math.min(chunk.length, maxBytes - current.bytes);
        keepExcerpt(current, chunk.subarray(0, take));
        current.bytes += take;
        if (take < chunk.length) finish(null, true); // past the cap: stop reading, drop the socket
      });
      res.on('end', () => finish(null, false));
      res.on('error', () => finish(null, true));
      res.on('close', () => finish(null, !res.complete));
    });
    req.end(request.body);
  });
}

function requestHeaders(request: DeliveryRequest): Record<string, string> {
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(request.body)),
    'user-agent': request.userAgent ?? DEFAULT_USER_AGENT,
    ...signedHeaders(request),
  };
  for (const [name, value] of Object.entries(headers)) http.validateHeaderValue(name, value);
  return headers;
}

function keepExcerpt(reading: Reading, chunk: Buffer): void {
  const room = RESPONSE_EXCERPT_BYTES - reading.excerptBytes;
  if (room <= 0 || chunk.length === 0) return;
  const part = chunk.subarray(0, room);
  reading.excerpt.push(Buffer.from(part)); // a copy: the socket's buffer is reused
  reading.excerptBytes += part.length;
}

function answered(started: number, reading: Reading, truncated: boolean): DeliveryResult {
  const error = statusError(reading.status, reading.location);
  return {
    ok: error === null,
    statusCode: reading.status,
    latencyMs: Math.round(performance.now() - started),
    responseExcerpt: Buffer.concat(reading.excerpt).toString('utf8'),
    responseBytes: reading.bytes,
    responseTruncated: truncated,
    error,
  };
}

function failed(started: number, error: DeliveryError): DeliveryResult {
  return { ok: false, statusCode: null, latencyMs: Math.round(performance.now() - started), responseExcerpt: '', error };
}
