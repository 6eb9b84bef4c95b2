import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';
import { distinctCharacters, estimatedSecretBits, SECRET_HINT } from './secret-strength.ts';

export interface AuthConfig {
  /** The JWT signing secret; undefined outside production means "generate one and keep it in the data folder". */
  secretKey: string | undefined;
  jwtTtlSeconds: number;
}

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
    r.problems.push(
      `REGISTRY_SECRET_KEY is required in production (at least ${MIN_SECRET_BYTES} bytes): ${SECRET_HINT}`,
    );
  }
  if (mode === 'production' && secretKey !== undefined && /^(dev-key|changeme|secret)/i.test(secretKey)) {
    r.problems.push(`REGISTRY_SECRET_KEY looks like a placeholder; production needs a random secret: ${SECRET_HINT}`);
  } else if (mode === 'production' && secretKey !== undefined && Buffer.byteLength(secretKey) >= MIN_SECRET_BYTES) {
    const weak = weakSecretProblem(secretKey);
    if (weak) r.problems.push(weak);
  }
  const days = r.int('REGISTRY_JWT_TTL_DAYS', 30, { min: 1, max: 365 });
  return { secretKey, jwtTtlSeconds: days * 86_400 };
}
