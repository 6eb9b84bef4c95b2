/**
 * Where the per-action buckets live. Redis when the registry has one: every instance shares it, one
 * script call per take, and a bucket left alone expires once it would be full again anyway. Else the
 * database: durable across restarts and shared by every instance on it, read and written under a
 * row lock (PostgreSQL) or the one writer (SQLite), so parallel takes cannot both spend one token.
 */
import type { ActionRule } from '../config/index.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { redisScript, runScript, type RedisLike } from '../auth/index.ts';
import { takeToken, type Take } from './action-bucket.ts';

export interface BucketKey {
  action: string;
  subject: string;
}

export interface BucketStore {
  take(key: BucketKey, rule: ActionRule, nowMs: number): Promise<Take>;
}

// action-bucket.ts's arithmetic, atomically: no other take runs between the read and the write.
const TAKE = redisScript(`
local burst = tonumber(ARGV[1])
local every = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'refilled_at')
local tokens, refilled = burst, now
if stored[1] then
  local intervals = math.max(0, math.floor((now - tonumber(stored[2])) / every))
  tokens = math.min(burst, tonumber(stored[1]) + intervals)
  if tokens < burst then refilled = tonumber(stored[2]) + intervals * every end
end
if tokens < 1 then return {0, tokens, refilled, math.max(1, refilled + every - now)} end
redis.call('HSET', KEYS[1], 'tokens', tokens - 1, 'refilled_at', refilled)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {1, tokens - 1, refilled, 0}`);

export function redisBucketStore(redis: RedisLike, prefix: string): BucketStore {
  return {
    async take({ action, subject }, rule, nowMs) {
      // After burst × interval untouched the bucket is full again, which is what a missing key means.
      const ttlMs = rule.burst * rule.everyMs;
      const key = `${prefix}action:${action}:${subject}`;
      const out = (await runScript(redis, TAKE, 1, key, rule.burst, rule.everyMs, nowMs, ttlMs)) as number[];
      const [taken, tokens, refilledAt, retryAfterMs] = out.map(Number) as [number, number, number, number];
      const bucket = { tokens, refilledAt };
      return taken === 1 ? { taken: true, bucket } : { taken: false, bucket, retryAfterMs };
    },
  };
}

export function databaseBucketStore(db: RegistryDatabase): BucketStore {
  return {
    take: ({ action, subject }, rule, nowMs) =>
      db.kysely.transaction().execute(async (trx) => {
        // A missing bucket is a full one. Inserting it first makes the row to lock exist: parallel
        // first takes wait on this insert instead of each finding nothing and each taking a token.
        await trx
          .insertInto('action_buckets')
          .values({ action, subject, tokens: rule.burst, refilled_at: nowMs })
          .onConflict((oc) => oc.columns(['action', 'subject']).doNothing())
          .execute();
        let select = trx
          .selectFrom('action_buckets')
          .select(['tokens', 'refilled_at'])
          .where('action', '=', action)
          .where('subject', '=', subject);
        if (db.dialect === 'postgres') select = select.forUpdate();
        const row = await select.executeTakeFirstOrThrow();
        const result = takeToken({ tokens: Number(row.tokens), refilledAt: Number(row.refilled_at) }, rule, nowMs);
        if (result.taken) {
          await trx
            .updateTable('action_buckets')
            .set({ tokens: result.bucket.tokens, refilled_at: result.bucket.refilledAt })
            .where('action', '=', action)
            .where('subject', '=', subject)
            .execute();
        }
        return result;
      }),
  };
}
