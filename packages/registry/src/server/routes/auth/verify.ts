import { unauthorized } from '../../../../../core/src/errors.ts';
import { hashApiToken, looksLikeApiToken, parseBearer } from '../../../auth/index.ts';
import { findLiveToken } from '../../../db/tokens.ts';
import { liveSession } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { verificationSchema } from '../../schemas/auth.ts';

const invalid = () => unauthorized('The token is malformed, tampered with, expired, revoked or not signed by this registry');

export const verify = defineRoute({
  method: 'POST',
  url: '/auth/verify',
  limit: 'read',
  schema: {
    summary: 'Check a session token or API token',
    tags: ['auth'],
    security: [{ bearer: [] }],
    response: { 200: json('The token is valid', verificationSchema), ...problems(400, 401, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request) {
    const bearer = parseBearer(request.headers.authorization);
    if (bearer === null) throw unauthorized();
    if (looksLikeApiToken(bearer)) {
      const token = await findLiveToken(deps.db.kysely, hashApiToken(bearer), deps.now().toISOString());
      if (!token) throw invalid();
      return { valid: true, username: token.username, kind: 'api_token', expires_at: token.expires_at };
    }
    const session = await liveSession(deps, bearer);
    if (!session) throw invalid();
    return { valid: true, username: session.username, kind: 'session', expires_at: session.expiresAt.toISOString() };
  },
});
