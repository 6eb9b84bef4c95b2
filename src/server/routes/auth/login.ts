import { RegistryError } from '../../../errors.ts';
import { signSessionToken, verifyAgainstDummy, verifyPassword } from '../../../auth/index.ts';
import { findUserByUsername } from '../../../db/users.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { sessionSchema } from '../../schemas/auth.ts';

// One body for an unknown user and a wrong password, so the answer tells nothing about which.
const invalidCredentials = () =>
  new RegistryError(401, 'invalid_credentials', 'Invalid username or password', { headers: { 'www-authenticate': 'Bearer' } });

export const login = defineRoute({
  method: 'POST',
  url: '/auth/login',
  limit: 'write',
  perUser: 'body-username',
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
    const user = await findUserByUsername(deps.db.kysely, username.trim().toLowerCase());
    const ok = user && user.is_active === 1 ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
    if (!ok || !user) throw invalidCredentials();
    const { token, expiresAt } = await signSessionToken(
      { userId: String(user.id), username: user.username },
      { secret: deps.secret, ttlSeconds: deps.config.auth.jwtTtlSeconds, now: deps.now() },
    );
    return { token, token_type: 'Bearer', expires_at: expiresAt.toISOString() };
  },
});
