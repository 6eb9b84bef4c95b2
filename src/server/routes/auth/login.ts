import { RegistryError } from '../../../errors.ts';
import { hashPassword, needsRehash, signSessionToken, verifyAgainstDummy, verifyPassword } from '../../../auth/index.ts';
import { findUserByUsername, replacePasswordHash } from '../../../db/users.ts';
import { tooManyRequests } from '../../rate-limits.ts';
import { recordAudit } from '../../../registry/audit.ts';
import { clientInfo } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { sessionSchema } from '../../schemas/auth.ts';

// One body for an unknown user and a wrong password, so the answer tells nothing about which.
const invalidCredentials = () =>
  new RegistryError(401, 'invalid_credentials', 'Invalid username or password', { headers: { 'www-authenticate': 'Bearer' } });

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
    // Counted against the account named in the body, whatever Authorization header comes along.
    const attempt = await deps.loginThrottle.begin({ username, address: request.ip });
    if (!attempt.allowed) {
      deps.metrics.login('throttled');
      deps.metrics.rateLimited('login_failures');
      throw tooManyRequests(attempt.limit, attempt.per, attempt.retryAfterSeconds);
    }
    const user = await findUserByUsername(deps.db.kysely, username.trim().toLowerCase());
    const ok = user && user.is_active === 1 ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
    if (!ok || !user) {
      // Rate-limited above, so an anonymous client cannot grow the log without bound.
      await recordAudit(deps.db.kysely, {
        action: 'login_failure',
        actor: null,
        client: clientInfo(request),
        subjectUserId: user?.id ?? null,
        details: { username: username.trim().toLowerCase().slice(0, 64) },
        at: deps.now().toISOString(),
      });
      deps.metrics.login('failed');
      throw invalidCredentials();
    }
    await attempt.succeeded();
    deps.metrics.login('ok');
    // Hashes made with older parameters are upgraded the only time the password is known.
    if (needsRehash(user.password_hash)) {
      const newHash = await hashPassword(password);
      await replacePasswordHash(deps.db.kysely, { userId: user.id, oldHash: user.password_hash, newHash });
    }
    const { token, expiresAt } = await signSessionToken(
      { userId: String(user.id), username: user.username, generation: Number(user.session_generation) },
      { secret: deps.secret, ttlSeconds: deps.config.auth.jwtTtlSeconds, now: deps.now() },
    );
    return { token, token_type: 'Bearer', expires_at: expiresAt.toISOString() };
  },
});
