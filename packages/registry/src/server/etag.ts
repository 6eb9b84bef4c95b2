/**
 * Entity tags for documents that change (a package document): a weak tag from the version stamp the
 * document cache already keys on, so a client holding the current copy gets a 304 without a body.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const sha1 = (input: string | Buffer) => createHash('sha1').update(input).digest('base64url');

/**
 * Tags already worked out, by the text they were hashed from: the hot documents come back thousands
 * of times a second with the same stamp or the same cached body string, and a map lookup costs a
 * fraction of a hash. Only short texts: V8 hashes a string past 16K characters by its length alone,
 * so long keys would collide. Bounded by characters held.
 */
const MEMO_MAX_KEY = 16 * 1024;

function memoised(tag: (text: string) => string): (text: string) => string {
  const memo = new LRUCache<string, string>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (_tag, key) => key.length + 64 });
  return (text) => {
    if (text.length > MEMO_MAX_KEY) return tag(text);
    let found = memo.get(text);
    if (found === undefined) {
      found = tag(text);
      memo.set(text, found);
    }
    return found;
  };
}

const strongOf = (body: string | Buffer) => `"${sha1(body)}"`;
const strongOfText = memoised(strongOf);

/** `W/"…"` for a document built from `stamp` (what its content depends on, the base URL included). */
export const weakEtag = memoised((stamp) => `W/"${sha1(stamp)}"`);

/**
 * A strong `"…"` from a response's own bytes: for documents whose every input (the clock and other
 * packages included) is not worth tracking, the body is hashed after it is built: the client saves
 * the transfer, not the server its work.
 */
export function bodyEtag(body: string | Buffer): string {
  return typeof body === 'string' ? strongOfText(body) : strongOf(body);
}

/** Whether If-None-Match names `etag` or `*`; compared weakly (RFC 9110 13.1.2): W/"x" matches "x". */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  // What a client that kept our tag sends back, on every revalidation: no list to split.
  if (header === etag) return true;
  const wanted = etag.replace(/^W\//, '');
  return header.split(/\s*,\s*/).some((tag) => tag === '*' || tag.replace(/^W\//, '') === wanted);
}
