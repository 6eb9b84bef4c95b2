/**
 * Headers of the HTML pages, over the API's (security-headers.ts): a CSP that allows our own script
 * and stylesheet files and no inline script at all, https images (READMEs link them), forms posting
 * only here, and no framing.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join(';');

export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': PAGE_CSP,
  'cross-origin-resource-policy': 'same-origin',
  // Links out of README pages say where they came from (the origin only), and nothing to plain http.
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});
