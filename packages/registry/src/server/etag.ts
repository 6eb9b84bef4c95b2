/**
 * Entity tags for documents that change (a package document): a weak tag from the version stamp the
 * document cache already keys on, so a client holding the current copy gets a 304 without a body.
 */
import { createHash } from 'node:crypto';

/** `W/"…"` for a document built from `stamp` (what its content depends on, the base URL included). */
export function weakEtag(stamp: string): string {
  return `W/"${createHash('sha1').update(stamp).digest('base64url')}"`;
}

/**
 * A strong `"…"` from a response's own bytes: for documents whose every input (the clock and other
 * packages included) is not worth tracking, the body is hashed after it is built: the client saves
 * the transfer, not the server its work.
 */
export function bodyEtag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** Whether If-None-Match names `etag` or `*`; compared weakly (RFC 9110 13.1.2): W/"x" matches "x". */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const wanted = etag.replace(/^W\//, '');
  return header.split(/\s*,\s*/).some((tag) => tag === '*' || tag.replace(/^W\//, '') === wanted);
}
