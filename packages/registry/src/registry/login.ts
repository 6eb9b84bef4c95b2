/**
 * Logging in with a password, for the API and the web pages alike: the failed-login throttle, one
 * answer for an unknown user and a wrong password, the audit entry for a failure, the hash upgrade,
 * and a session token (JWT).
 */
import { RegistryError } from '../../../core/src/errors.ts';
import { signSessionToken, verifyPassword, type LoginThrottle, type PasswordHasher } from '../auth/index.ts';
import { findUserByUsername, replacePasswordHash } from '../db/users.ts';
import type { Db } from '../db/users.ts';
import { recordAudit } from './audit.ts';
import type { ClientInfo } from './publisher.ts';

// One body for an unknown user and a wrong password, so the answer tells nothing about which.
const invalidCredentials = () =>
  new RegistryError(401, 'invalid_credentials', 'Invalid username or password', { headers: { 'www-authenticate': 'Bearer' } });

export interface LoginDeps {
  db: Db;
  /** Hashing at the configured cost; the unknown-user dummy is made at that cost too. */
  passwords: PasswordHasher;
  secret: Uint8Array;
  now: () => Date;
  ttlSeconds: number;
  loginThrottle: LoginThrottle;
  /** The error for a throttled attempt (the HTTP layer's 429 with its headers). */
  throttled(limit: number, per: string, retryAfterSeconds: number): Error;
  /** Told how each attempt ended (metrics). */
  outcome?: (outcome: 'ok' | 'failed' | 'throttled') => void;
}

export interface LoginInput {
  username: string;
  password: string;
  client: ClientInfo;
}

/** A session token for a right password; throws `invalid_credentials` (401) or the throttle's error. */
export async function passwordLogin(deps: LoginDeps, input: LoginInput): Promise<{ token: string; expiresAt: Date }> {
  const { username, password } = input;
  // Counted against the account named, whatever else the request carries.
  const attempt = await deps.loginThrottle.begin({ username, address: input.client.ip ?? '' });
  if (!attempt.allowed) {
    deps.outcome?.('throttled');
    throw deps.throttled(attempt.limit, attempt.per, attempt.retryAfterSeconds);
  }
  const user = await findUserByUsername(deps.db, username.trim().toLowerCase());
  const ok =
    user && user.is_active === 1 ? await verifyPassword(user.password_hash, password) : await deps.passwords.verifyAgainstDummy(password);
  if (!ok || !user) {
    // Rate-limited before this, so an anonymous client cannot grow the log without bound.
    await recordAudit(deps.db, {
      action: 'login_failure',
      actor: null,
      client: input.client,
      subjectUserId: user?.id ?? null,
      details: { username: username.trim().toLowerCase().slice(0, 64) },
      at: deps.now().toISOString(),
    });
    deps.outcome?.('failed');
    throw invalidCredentials();
  }
  await attempt.succeeded();
  deps.outcome?.('ok');
  // Hashes made with older parameters are upgraded the only time the password is known.
  if (deps.passwords.needsRehash(user.password_hash)) {
    const newHash = await deps.passwords.hash(password);
    await replacePasswordHash(deps.db, { userId: user.id, oldHash: user.password_hash, newHash });
  }
  return signSessionToken(
    { userId: String(user.id), username: user.username, generation: Number(user.session_generation) },
    { secret: deps.secret, ttlSeconds: deps.ttlSeconds, now: deps.now() },
  );
}
