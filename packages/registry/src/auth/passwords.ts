/**
 * Password hashing with argon2id and the sign-up password policy. Hashes are PHC strings
 * (`$argon2id$v=19$m=...`), so each one records the parameters it was made with, and a hash made
 * at another cost still verifies (and is replaced at the next login, see needsRehash).
 */
import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';
import type { PasswordHashCost } from './password-hash-cost.ts';

export { OWASP_PASSWORD_HASH_COST, type PasswordHashCost } from './password-hash-cost.ts';
export const ARGON2_PARALLELISM = 1;

// The policy has its own file so the client checks new passwords the same way without argon2.
export {
  checkPasswordPolicy,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordPolicyContext,
} from '../../../core/src/auth/password-policy.ts';

// The package's Algorithm is an ambient const enum, which cannot be read under per-file transpiling.
const ARGON2ID = 2 satisfies Algorithm.Argon2id;

/** Hashing at one cost, with the unknown-user dummy made at that same cost. */
export interface PasswordHasher {
  cost: PasswordHashCost;
  /**
   * A hash of a random throwaway password at `cost`: verifying against it costs what a real verify
   * costs, so an unknown username is not told apart by response time.
   */
  dummyHash: string;
  /** The PHC string to store for a new password. */
  hash(plain: string): Promise<string>;
  /** Spends the time of a real verify and always answers false: for an unknown username. */
  verifyAgainstDummy(plain: string): Promise<false>;
  /** True when a stored hash was made at another cost (or cannot be read): store a fresh hash() at the next login. */
  needsRehash(storedHash: string): boolean;
}

/** A hasher at `cost`; makes its dummy hash first (one hash at that cost). */
export async function createPasswordHasher(cost: PasswordHashCost): Promise<PasswordHasher> {
  const options = { algorithm: ARGON2ID, memoryCost: cost.memoryKib, timeCost: cost.passes, parallelism: ARGON2_PARALLELISM };
  const dummyHash = await hash(randomBytes(24).toString('base64'), options);
  return {
    cost,
    dummyHash,
    hash: (plain) => hash(normalize(plain), options),
    async verifyAgainstDummy(plain) {
      await verifyPassword(dummyHash, typeof plain === 'string' ? plain : '');
      return false;
    },
    needsRehash(storedHash) {
      try {
        const stored = parseOptions(storedHash);
        return (
          stored.algorithm !== ARGON2ID ||
          stored.memoryCost !== options.memoryCost ||
          stored.timeCost !== options.timeCost ||
          stored.parallelism !== options.parallelism
        );
      } catch {
        return true;
      }
    },
  };
}

/**
 * The same password typed on different systems can arrive in different Unicode forms
 * (composed "é" vs "e" + combining accent); NFKC makes them hash alike (NIST SP 800-63B 5.1.1.2).
 */
function normalize(plain: string): string {
  return plain.normalize('NFKC');
}

/**
 * Checks a password against a stored hash, at the cost the hash records. Returns false, never
 * throws, for a wrong password and for a hash that is malformed or not argon2, so a corrupt row
 * reads as a failed login.
 */
export async function verifyPassword(storedHash: string, plain: string): Promise<boolean> {
  if (typeof storedHash !== 'string' || typeof plain !== 'string') return false;
  try {
    return await verify(storedHash, normalize(plain));
  } catch {
    return false;
  }
}
