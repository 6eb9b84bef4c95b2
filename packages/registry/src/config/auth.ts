import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';
import { distinctCharacters, estimatedSecretBits, SECRET_HINT } from './secret-strength.ts';
import { OWASP_PASSWORD_HASH_COST, type PasswordHashCost } from '../auth/password-hash-cost.ts';

export interface AuthConfig {
  /** The JWT signing secret; undefined outside production means "generate one and keep it in the data folder". */
  secretKey: string | undefined;
  jwtTtlSeconds: number;
  /** argon2id cost of new password hashes (REGISTRY_PASSWORD_HASH_COST); stored hashes keep theirs. */
  passwordHashCost: PasswordHashCost;
}

/**
 * The test suites register and log in thousands of times: there a hash costs 1 MiB and one pass
 * (about 1 ms instead of 17). Never the default anywhere else, and refused in production.
 */
const TEST_PASSWORD_HASH_COST: PasswordHashCost = { memoryKib: 1024, passes: 1 };
const COST_FORMAT = /^m=(\d{1,7}),t=(\d{1,3})$/;

const MIN_SECRET_BYTES = 32;
/** Below this a secret is refused in production, whatever its length (see secret-strength.ts). */
const MIN_SECRET_BITS = 128;
const MIN_DISTINCT_CHARACTERS = 12;

function weakSecretProblem(secret: string): string | undefined {
  const bits = estimatedSecretBits(secret);
  const distinct = distinctCharacters(secret);
  if (bits >= MIN_SECRET_BITS && distinct >= MIN_DISTINCT_CHARACTERS) return undefined;
  return (
    `REGISTRY_SECRET_KEY is not random enough (${distinct} different characters, about ${bits} bits; ` +
    `production needs ${MIN_DISTINCT_CHARACTERS}+ and ${MIN_SECRET_BITS}+): ${SECRET_HINT}`
  );
}

export function readAuth(r: EnvReader, mode: RegistryEnv): AuthConfig {
  const secretKey = r.optional('REGISTRY_SECRET_KEY');
  if (secretKey !== undefined && Buffer.byteLength(secretKey) < MIN_SECRET_BYTES) {
    r.problems.push(`REGISTRY_SECRET_KEY must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  if (mode === 'production' && secretKey === undefined) {
    r.problems.push(`REGISTRY_SECRET_KEY is required in production (at least ${MIN_SECRET_BYTES} bytes): ${SECRET_HINT}`);
  }
  if (mode === 'production' && secretKey !== undefined && /^(dev-key|changeme|secret)/i.test(secretKey)) {
    r.problems.push(`REGISTRY_SECRET_KEY looks like a placeholder; production needs a random secret: ${SECRET_HINT}`);
  } else if (mode === 'production' && secretKey !== undefined && Buffer.byteLength(secretKey) >= MIN_SECRET_BYTES) {
    const weak = weakSecretProblem(secretKey);
    if (weak) r.problems.push(weak);
  }
  const days = r.int('REGISTRY_JWT_TTL_DAYS', 30, { min: 1, max: 365 });
  return { secretKey, jwtTtlSeconds: days * 86_400, passwordHashCost: readPasswordHashCost(r, mode) };
}

/** `m=KiB,t=passes`, as in the hash's own PHC string; production takes nothing below OWASP's. */
function readPasswordHashCost(r: EnvReader, mode: RegistryEnv): PasswordHashCost {
  const fallback = mode === 'test' ? TEST_PASSWORD_HASH_COST : OWASP_PASSWORD_HASH_COST;
  const raw = r.optional('REGISTRY_PASSWORD_HASH_COST');
  if (raw === undefined) return fallback;
  const match = COST_FORMAT.exec(raw);
  const cost = match ? { memoryKib: Number(match[1]), passes: Number(match[2]) } : undefined;
  if (!cost || cost.memoryKib < 8 || cost.memoryKib > 4_194_304 || cost.passes < 1) {
    r.problems.push(
      `REGISTRY_PASSWORD_HASH_COST=${JSON.stringify(raw)} must be m=KiB,t=passes (8 to 4194304 KiB, 1 to 999 passes), e.g. m=19456,t=2`,
    );
    return fallback;
  }
  const { memoryKib, passes } = OWASP_PASSWORD_HASH_COST;
  if (mode === 'production' && (cost.memoryKib < memoryKib || cost.passes < passes)) {
    r.problems.push(
      `REGISTRY_PASSWORD_HASH_COST=${raw} is below m=${memoryKib},t=${passes} (OWASP's argon2id minimum), which production requires`,
    );
  }
  return cost;
}
