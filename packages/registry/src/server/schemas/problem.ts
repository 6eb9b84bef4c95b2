/**
 * RFC 9457 problem details, as every error leaves (see ../problem.ts). Extra members (`limit` on a
 * 429, `path` on a tarball error, …) are allowed and serialised as they are.
 */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable and meant for programs, `detail` for people.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'A URI naming the kind of problem' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine code, e.g. version_exists' },
    instance: {
      type: 'string',
      description:
        'This occurrence: urn:synapse:request:<id>, where <id> is the X-Request-Id of the response and the request_id of its log lines',
    },
    errors: {
      type: 'array',
      description: 'Every invalid field at once (validation_failed)',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
} as const;

const WHEN: Record<number, string> = {
  400: 'The request is malformed or has invalid fields (validation_failed lists each in `errors`)',
  401: 'No valid session or API token (WWW-Authenticate: Bearer)',
  403: 'Authenticated, but not allowed (not an owner, token scope, session required)',
  404: 'No such resource',
  409: 'Conflicts with what exists (a taken name, an existing version)',
  410: 'Gone: it existed but has expired (an owner invitation)',
  413: 'The body is larger than allowed',
  415: 'The body has a media type this route does not take',
  416: 'The Range lies outside the tarball (Content-Range: bytes */size)',
  429: 'Rate limit reached (Retry-After and RateLimit-* headers; `limit` in the body; `action_rate_limited` also names the `action`)',
  500: 'An unexpected error (no details are given)',
  502: 'Pull-through: the upstream registry could not provide what this registry does not hold (upstream_unavailable), or sent a tarball that does not match its integrity (upstream_integrity_mismatch)',
  503: 'The database or the storage cannot be reached, or (readme_render_busy, with Retry-After) too many READMEs are being rendered, or (secret_scan_failed, with Retry-After) the secret scan thread failed; try again later',
};

/** The problem+json responses of a route, by status, each a $ref to the shared Problem schema. */
export function problems(...statuses: number[]): Record<number, object> {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: WHEN[status] ?? 'A problem', content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } } },
    ]),
  );
}
