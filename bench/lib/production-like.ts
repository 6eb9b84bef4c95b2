import { ORIGIN } from './registry-process.ts';

/**
 * Rate limiting as in production, but every limit high enough that a benchmark's populate step and
 * load are counted and never refused: the limiter's cost is measured, not its refusals.
 */
export const PRODUCTION_LIKE: Readonly<Record<string, string>> = {
  // Production runs with a public URL (or a trusted proxy): documents can then be built before listening.
  REGISTRY_PUBLIC_URL: ORIGIN,
  // Production's default: the registry serves its hottest documents to itself before listening.
  REGISTRY_WARM_REQUESTS: '20000',
  REGISTRY_RATE_LIMIT_ENABLED: 'true',
  REGISTRY_RATE_LIMIT_READ_PER_MINUTE: '1000000000',
  REGISTRY_RATE_LIMIT_WRITE_PER_HOUR: '1000000',
  REGISTRY_RATE_LIMIT_WRITE_PER_DAY: '1000000',
  REGISTRY_RATE_LIMIT_USER_PER_HOUR: '1000000',
};
