/** argon2id work factors, apart from argon2 itself so the configuration reads them without loading it. */

/** Memory in KiB and passes over it (lanes are always 1). */
export interface PasswordHashCost {
  memoryKib: number;
  passes: number;
}

/**
 * OWASP Password Storage Cheat Sheet, argon2id option 1: 19 MiB, 2 passes, 1 lane. The default,
 * and the least production accepts (packages/registry/src/config/auth.ts).
 */
export const OWASP_PASSWORD_HASH_COST: PasswordHashCost = { memoryKib: 19456, passes: 2 };
