/**
 * The Lua scripts behind the shared limits run by their hash (EVALSHA), and still run when Redis
 * has forgotten them (a restart, SCRIPT FLUSH): the text is sent then, once. Real Redis.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisCounterStore, type RedisLike } from '../../packages/registry/src/auth/index.ts';
import { deleteRedisPrefix, REDIS_URL } from '../helpers/backends.ts';
import { skipWithoutBackends } from '../helpers/require-backends.ts';

const skip = await skipWithoutBackends();

/** How many EVALSHA commands this Redis has run (INFO commandstats). */
async function evalshaCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  return Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(info)?.[1] ?? 0);
}

describe('Redis scripts', { skip }, () => {
  test('a forgotten script is sent again and counts as before; errors other than NOSCRIPT still fail', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const prefix = `synapse-test:${randomUUID()}:`;
    try {
      const store = redisCounterStore(redis as unknown as RedisLike, prefix);
      // Every caller of these scripts falls back the same way, so other tests sharing this Redis are safe.
      await redis.script('FLUSH');
      assert.equal((await store.add(['k'], 60_000))[0]!.count, 1, 'after SCRIPT FLUSH');
      const before = await evalshaCalls(redis);
      assert.equal((await store.add(['k'], 60_000))[0]!.count, 2, 'by its hash');
      assert.ok((await evalshaCalls(redis)) > before, 'sent as EVALSHA, not as the whole text');
      await redis.script('FLUSH');
      assert.equal((await store.add(['k'], 60_000))[0]!.count, 3, 'forgotten again');
      await redis.hset(`${prefix}wrong`, 'a', '1');
      await assert.rejects(store.add(['wrong'], 60_000), /WRONGTYPE/);
    } finally {
      redis.disconnect();
      await deleteRedisPrefix(REDIS_URL, prefix);
    }
  });
});
