/**
 * Fixed-window counters for the login throttle: in this process, or in Redis so that every
 * instance of the registry sees the same counts.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface WindowCount {
  count: number;
  /** Milliseconds until this key's window ends and its count starts again from zero. */
  ttlMs: number;
}

export interface CounterStore {
  /** Adds one to each key (a key without a window starts one of windowMs); the counts after. */
  add(keys: readonly string[], windowMs: number): Promise<WindowCount[]>;
  /** Takes one back from each key whose window is still open. */
  takeBack(keys: readonly string[]): Promise<void>;
  /** Forgets a key. */
  clear(key: string): Promise<void>;
  /**
   * `add` for one key, answered at once: only a store in this process has it. The per-route read
   * limit is counted on every request, and a promise per count was most of its cost.
   */
  addNow?(key: string, windowMs: number): WindowCount;
}

export interface MemoryStoreOptions {
  /** Keys kept at most; the least recently used go first, so memory stays bounded under a flood. */
  maxKeys: number;
  now: () => number;
}

export function memoryCounterStore({ maxKeys, now }: MemoryStoreOptions): CounterStore {
  const windows = new LRUCache<string, { count: number; resetAt: number }>({ max: maxKeys });
  const live = (key: string) => {
    const entry = windows.get(key);
    return entry && entry.resetAt > now() ? entry : undefined;
  };
  const addNow = (key: string, windowMs: number): WindowCount => {
    const at = now();
    let entry = windows.get(key);
    if (!entry || entry.resetAt <= at) {
      entry = { count: 0, resetAt: at + windowMs };
      windows.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, ttlMs: entry.resetAt - at };
  };
  return {
    addNow,
    add: async (keys, windowMs) => keys.map((key) => addNow(key, windowMs)),
    takeBack: async (keys) => {
      for (const key of keys) {
        const entry = live(key);
        if (entry && entry.count > 0) entry.count -= 1;
      }
    },
    clear: async (key) => {
      windows.delete(key);
    },
  };
}

/** The part of an ioredis client used here. */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  evalsha(sha1: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  del(key: string): Promise<number>;
}

/** A Lua script and its SHA-1, the name Redis caches it under. */
export interface RedisScript {
  text: string;
  sha1: string;
}

export const redisScript = (text: string): RedisScript => ({ text, sha1: createHash('sha1').update(text).digest('hex') });

/**
 * Runs a script by its hash (EVALSHA), sending its text only when Redis does not hold it yet (after
 * a restart or SCRIPT FLUSH): the per-route limits run one on every request, and the text is a few
 * hundred bytes each time otherwise.
 */
export async function runScript(redis: RedisLike, script: RedisScript, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha1, numKeys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script.text, numKeys, ...args);
  }
}

// One script per call, so a count and its expiry are set together even with other instances racing.
const ADD = redisScript(`
local out = {}
for _, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, ARGV[1]); ttl = tonumber(ARGV[1]) end
  out[#out + 1] = n
  out[#out + 1] = ttl
end
return out`);

// DECR on a key that just expired would create one without an expiry; EXISTS guards that.
const TAKE_BACK = redisScript(`
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 and tonumber(redis.call('GET', key)) > 0 then redis.call('DECR', key) end
end
return 0`);

export function redisCounterStore(redis: RedisLike, prefix: string): CounterStore {
  const full = (keys: readonly string[]) => keys.map((key) => `${prefix}${key}`);
  return {
    add: async (keys, windowMs) => {
      const flat = (await runScript(redis, ADD, keys.length, ...full(keys), windowMs)) as number[];
      return keys.map((_, i) => ({ count: Number(flat[2 * i]), ttlMs: Number(flat[2 * i + 1]) }));
    },
    takeBack: async (keys) => {
      await runScript(redis, TAKE_BACK, keys.length, ...full(keys));
    },
    clear: async (key) => {
      await redis.del(`${prefix}${key}`);
    },
  };
}
