/**
 * Reads the token out of an `Authorization: Bearer <token>` header (RFC 6750 2.1).
 */

// b64token from RFC 6750: no spaces or commas, so two tokens or two joined headers never parse.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of a Bearer header, or null when there is none, it is empty, the scheme is another
 * one, or the header carries more than one token. The scheme is case-insensitive and
 * surrounding whitespace is ignored. A header repeated by the client (an array) is refused.
 */
export function parseBearer(header: string | readonly string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = BEARER.exec(header.trim());
  return match ? match[1]! : null;
}
