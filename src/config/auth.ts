import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';

export interface AuthConfig {
  /** The JWT signing secret; undefined outside production means "generate one and keep it in the data folder". */
  secretKey: string | undefined;
  jwtTtlSeconds: number;
}

const MIN_SECRET_BYTES = 32;

export function readAuth(r: EnvReader, mode: RegistryEnv): AuthConfig {
  const secretKey = r.optional('REGISTRY_SECRET_KEY');
  if (secretKey !== undefined && Buffer.byteLength(secretKey) < MIN_SECRET_BYTES) {
    r.problems.push(`REGISTRY_SECRET_KEY must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  if (mode === 'production' && secretKey === undefined) {
    r.problems.push(
      `REGISTRY_SECRET_KEY is required in production (at least ${MIN_SECRET_BYTES} bytes, e.g. from \`openssl rand -hex 32\`)`,
    );
  }
  if (mode === 'production' && secretKey !== undefined && /^(dev-key|changeme|secret)/i.test(secretKey)) {
    r.problems.push('REGISTRY_SECRET_KEY looks like a placeholder; production needs a random secret');
  }
  const days = r.int('REGISTRY_JWT_TTL_DAYS', 30, { min: 1, max: 365 });
  return { secretKey, jwtTtlSeconds: days * 86_400 };
}
