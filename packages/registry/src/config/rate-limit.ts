import type { EnvReader } from './config-error.ts';
import type { RegistryEnv } from './index.ts';

export interface RateLimitConfig {
  enabled: boolean;
  /** Auth and write routes, per IP: the spec's 50 an hour and 200 a day. */
  writePerHour: number;
  writePerDay: number;
  /** Register, token creation and publish, per account. */
  userPerHour: number;
  /** Failed logins an hour: per (account, address), per address, and per account from all addresses. */
  loginFailuresPerAccountAndIp: number;
  loginFailuresPerIp: number;
  loginFailuresPerAccount: number;
  /** Reads and downloads, per IP. */
  readPerMinute: number;
  redisUrl: string | undefined;
  /** Prefix of every key this registry writes to Redis, so registries can share one Redis. */
  redisPrefix: string;
}

export function readRateLimit(r: EnvReader, mode: RegistryEnv): RateLimitConfig {
  return {
    enabled: r.bool('REGISTRY_RATE_LIMIT_ENABLED', mode !== 'test'),
    writePerHour: r.int('REGISTRY_RATE_LIMIT_WRITE_PER_HOUR', 50, { min: 1 }),
    writePerDay: r.int('REGISTRY_RATE_LIMIT_WRITE_PER_DAY', 200, { min: 1 }),
    userPerHour: r.int('REGISTRY_RATE_LIMIT_USER_PER_HOUR', 50, { min: 1 }),
    loginFailuresPerAccountAndIp: r.int('REGISTRY_RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP', 10, { min: 1 }),
    loginFailuresPerIp: r.int('REGISTRY_RATE_LIMIT_LOGIN_FAILURES_PER_IP', 30, { min: 1 }),
    loginFailuresPerAccount: r.int('REGISTRY_RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT', 1_000, { min: 1 }),
    readPerMinute: r.int('REGISTRY_RATE_LIMIT_READ_PER_MINUTE', 6_000, { min: 1 }),
    redisUrl: r.optional('REGISTRY_REDIS_URL'),
    redisPrefix: r.string('REGISTRY_REDIS_PREFIX', 'synapse:'),
  };
}
