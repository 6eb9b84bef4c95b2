/**
 * Password hashing with argon2id and the sign-up password policy. Hashes are PHC strings
 * (`$argon2id$v=19$m=...`), so each one records the parameters it was made with.
 */
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

/** OWASP Password Storage Cheat Sheet, argon2id option 1: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_MEMORY_COST_KIB = 19456;
export const ARGON2_TIME_COST = 2;
export const ARGON2_PARALLELISM = 1;

// The policy has its own file so the client checks new passwords the same way without argon2.
export { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordPolicyContext } from './password-policy.ts';

// The package's Algorithm is an ambient const enum, which cannot be read under per-file transpiling.
const ARGON2ID = 2 satisfies Algorithm.Argon2id;

const HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: ARGON2_MEMORY_COST_KIB,
  timeCost: ARGON2_TIME_COST,
  parallelism: ARGON2_PARALLELISM,
};

/**
 * A hash of a random throwaway password made with the parameters above. Verifying against it
 * costs what a real verify costs, so an unknown username is not told apart by response time.
 * A test keeps its parameters in step with HASH_OPTIONS.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$kb+RA7HzZQdR9KUq5peXKQ$DTLmYkEqOqfTzmi1lxDq1k24JmccBuGqfPXINakgEqc';

/**
 * The same password typed on different systems can arrive in different Unicode forms
 * (composed "é" vs "e" + combining accent); NFKC makes them hash alike (NIST SP 800-63B 5.1.1.2).
 */
function normalize(plain: string): string {
  return plain.normalize('NFKC');
}

/** Hashes a password with argon2id at the OWASP parameters; returns the PHC string to store. */
export async function hashPassword(plain: string): Promise<string> {
  return hash(normalize(plain), HASH_OPTIONS);
}

/**
 * Checks a password against a stored hash. Returns false, never throws, for a wrong password
 * and for a hash that is malformed or not argon2, so a corrupt row reads as a failed login.
 */
export async function verifyPassword(storedHash: string, plain: string): Promise<boolean> {
  if (typeof storedHash !== 'string' || typeof plain !== 'string') return false;
  try {
    return await verify(storedHash, normalize(plain));
  } catch {
    return false;
  }
}

/**
 * Spends the time of a real verify and always answers false: call it when the username is
 * unknown so that case takes as long as a wrong password.
 */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  await verifyPassword(DUMMY_PASSWORD_HASH, typeof plain === 'string' ? plain : '');
  return false;
}

/**
 * True when a stored hash was made with other parameters than today's (or cannot be read), so
 * the login that just verified it should store a fresh hashPassword() result.
 */
export function needsRehash(storedHash: string): boolean {
  try {
    const options = parseOptions(storedHash);
    return (
      options.algorithm !== ARGON2ID ||
      options.memoryCost !== ARGON2_MEMORY_COST_KIB ||
      options.timeCost !== ARGON2_TIME_COST ||
      options.parallelism !== ARGON2_PARALLELISM
    );
  } catch {
    return true;
  }
}
