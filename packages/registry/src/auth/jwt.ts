/**
 * Browser session tokens: short-lived HS256 JWTs signed with the registry's own secret. Only
 * HS256 is ever accepted, which shuts out `alg: none` and algorithm-swap forgeries.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const SESSION_TOKEN_ISSUER = 'synapse-registry';
const ALGORITHM = 'HS256';
/** RFC 7518 3.2: an HS256 key is at least as long as the hash output. */
export const SESSION_SECRET_MIN_BYTES = 32;
/** Clocks of two hosts may disagree by this much; a token issued further in the future is forged or broken. */
export const SESSION_CLOCK_SKEW_SECONDS = 60;

export interface SessionSubject {
  userId: string;
  username: string;
  /** The user's session generation at login (`gen` claim); "log out everywhere" bumps it. Default 0. */
  generation?: number;
}

export interface SignSessionOptions {
  secret: Uint8Array;
  ttlSeconds: number;
  /** Issue time; defaults to the current time. */
  now?: Date;
}

export interface VerifySessionOptions {
  secret: Uint8Array;
  /** Clock to check expiry against; defaults to the current time. */
  now?: Date;
}

export interface SessionClaims extends SessionSubject {
  generation: number;
  expiresAt: Date;
  /** The `jti` claim, for revoking one session. */
  tokenId: string;
}

function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.byteLength < SESSION_SECRET_MIN_BYTES) {
    throw new TypeError(`the session secret must be at least ${SESSION_SECRET_MIN_BYTES} bytes`);
  }
}

/**
 * Signs a session token for a user. Throws only for a programming error: a short secret or a
 * ttl that is not a positive whole number of seconds.
 */
export async function signSessionToken(
  { userId, username, generation = 0 }: SessionSubject,
  { secret, ttlSeconds, now = new Date() }: SignSessionOptions,
): Promise<{ token: string; expiresAt: Date }> {
  checkSecret(secret);
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new TypeError('ttlSeconds must be a positive integer');
  }
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAtSeconds = issuedAt + ttlSeconds;
  const token = await new SignJWT({ username, gen: generation })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(SESSION_TOKEN_ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAtSeconds)
    .setJti(randomUUID())
    .sign(secret);
  return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
}

/**
 * Checks a session token and returns who it belongs to, or null for anything not to be
 * trusted: malformed, tampered, expired, signed with another key or algorithm, other issuer,
 * missing claims, issued in the future (beyond the clock skew). Never throws, so callers treat null as "not signed in".
 */
export async function verifySessionToken(token: string, { secret, now }: VerifySessionOptions): Promise<SessionClaims | null> {
  if (typeof token !== 'string' || token.length === 0) return null;
  if (!(secret instanceof Uint8Array) || secret.byteLength < SESSION_SECRET_MIN_BYTES) return null;
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: [ALGORITHM],
      issuer: SESSION_TOKEN_ISSUER,
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      currentDate: now,
    });
    const { sub, username, exp, jti, iat, gen = 0 } = payload;
    if (typeof sub !== 'string' || sub.length === 0) return null;
    const nowSeconds = Math.floor((now ?? new Date()).getTime() / 1000);
    if (typeof iat !== 'number' || iat > nowSeconds + SESSION_CLOCK_SKEW_SECONDS) return null;
    if (!Number.isSafeInteger(gen) || (gen as number) < 0) return null;
    if (typeof username !== 'string' || username.length === 0) return null;
    if (typeof exp !== 'number' || typeof jti !== 'string') return null;
    return { userId: sub, username, generation: gen as number, expiresAt: new Date(exp * 1000), tokenId: jti };
  } catch {
    return null;
  }
}
