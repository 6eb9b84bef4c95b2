import { tooManyRequests } from '../../rate-limits.ts';
import { passwordLogin } from '../../../registry/login.ts';
import type { AppDeps } from '../../deps.ts';
import { clientInfo } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { sessionSchema } from '../../schemas/auth.ts';

/** What passwordLogin needs of the app. */
export const loginDeps = (deps: AppDeps) => ({
  db: deps.db.kysely,
  passwords: deps.passwords,
  secret: deps.secret,
  now: deps.now,
  ttlSeconds: deps.config.auth.jwtTtlSeconds,
  loginThrottle: deps.loginThrottle,
  throttled: tooManyRequests,
  outcome: (outcome: 'ok' | 'failed' | 'throttled') => {
    deps.metrics.login(outcome);
    if (outcome === 'throttled') deps.metrics.rateLimited('login_failures');
  },
});

export const login = defineRoute({
  method: 'POST',
  url: '/auth/login',
  // Per address here; per account, only failed logins count (deps.loginThrottle), so nobody can lock
  // an account by trying passwords for it.
  limit: 'write',
  schema: {
    summary: 'Log in and get a session token (JWT)',
    tags: ['auth'],
    body: {
      type: 'object',
      required: ['username', 'password'],
      properties: { username: { type: 'string' }, password: { type: 'string' } },
    },
    response: { 200: json('A session token', sessionSchema), ...problems(400, 401, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request) {
    const { username, password } = request.body as { username: string; password: string };
    const { token, expiresAt } = await passwordLogin(loginDeps(deps), { username, password, client: clientInfo(request) });
    return { token, token_type: 'Bearer', expires_at: expiresAt.toISOString() };
  },
});
