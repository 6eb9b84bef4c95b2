/**
 * Which downloads count, in this process's memory and (on the postgres-s3 backend) through Redis,
 * where two instances must agree. Time is passed in: an hour goes by without waiting for it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteRedisPrefix, REDIS_URL, testBackend } from '../../../../test/helpers/backends.ts';
import { clientKey, createDownloadDedup, type DownloadDedup } from './download-dedup.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T10:00:00Z');
const alice = { versionId: 1, ip: '192.0.2.1' };

/** How many of these claims count. */
async function counted(dedup: DownloadDedup, claims: { versionId: number; ip: string; at: number }[]) {
  let n = 0;
  for (const { at, ...pair } of claims) if (await dedup.claim(pair, at)) n += 1;
  return n;
}

/** 6,000 requests in 7 seconds from one IP for one version. */
const flood = (pair = alice, from = T0) =>
  Array.from({ length: 6_000 }, (_, i) => ({ ...pair, at: from + Math.floor((i * 7_000) / 6_000) }));

function behavesAsAWindow(make: () => DownloadDedup) {
  test('a flood from one IP counts once', async () => {
    assert.equal(await counted(make(), flood()), 1);
  });

  test('two IPs count twice, and two versions from one IP count twice', async () => {
    const dedup = make();
    assert.equal(await counted(dedup, [...flood(), ...flood({ versionId: 1, ip: '198.51.100.7' })]), 2);
    assert.equal(await counted(dedup, [{ versionId: 2, ip: alice.ip, at: T0 }]), 1);
  });

  test('addresses of one IPv6 /64 are one client; another /64 is another', async () => {
    const at = T0;
    const claims = ['2001:db8:1:2::1', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:DB8:1:2::ffff', '2001:db8:1:3::1'];
    assert.equal(
      await counted(
        make(),
        claims.map((ip) => ({ versionId: 1, ip, at })),
      ),
      2,
    );
  });

  test('the same IP counts again once the hour has passed, and not before', async () => {
    const dedup = make();
    assert.equal(await counted(dedup, [{ ...alice, at: T0 }]), 1);
    assert.equal(await counted(dedup, [{ ...alice, at: T0 + HOUR - 1 }]), 0);
    assert.equal(await counted(dedup, [{ ...alice, at: T0 + HOUR }]), 1);
    assert.equal(await counted(dedup, [{ ...alice, at: T0 + HOUR + 1_000 }]), 0);
  });
}

describe('in memory', () => {
  behavesAsAWindow(() => createDownloadDedup({ windowMs: HOUR, maxEntries: 1_000 }));

  test('memory is bounded by maxEntries: past it, the least recently seen pair is forgotten', async () => {
    const dedup = createDownloadDedup({ windowMs: HOUR, maxEntries: 3 });
    const pairs = ['a', 'b', 'c', 'd'].map((ip) => ({ versionId: 1, ip, at: T0 }));
    assert.equal(await counted(dedup, pairs), 4);
    // d pushed a out; b, c and d are still remembered.
    assert.equal(await counted(dedup, pairs.slice(1)), 0);
    assert.equal(await counted(dedup, pairs.slice(0, 1)), 1);
  });
});

describe('through Redis (postgres-s3 backend)', { skip: testBackend() !== 'postgres-s3' && 'runs on the postgres-s3 backend' }, () => {
  const prefix = `synapse-test:${randomBytes(6).toString('hex')}:`;
  const clients: Redis[] = [];
  const instance = () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return createDownloadDedup({ windowMs: HOUR, maxEntries: 1_000, redis, redisPrefix: `${prefix}${clients.length}:` });
  };
  after(async () => {
    for (const redis of clients) redis.disconnect();
    await deleteRedisPrefix(REDIS_URL, prefix);
  });

  // A fresh prefix per instance here: each test starts from an empty Redis.
  behavesAsAWindow(instance);

  test('two instances on one Redis agree: a flood spread over both counts once', async () => {
    const redis = [new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }), new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })];
    clients.push(...redis);
    const [one, two] = redis.map((r) =>
      createDownloadDedup({ windowMs: HOUR, maxEntries: 1_000, redis: r, redisPrefix: `${prefix}shared:` }),
    );
    const claims = flood();
    const answers = await Promise.all(claims.map(({ at, ...pair }, i) => (i % 2 ? one! : two!).claim(pair, at)));
    assert.equal(answers.filter(Boolean).length, 1);
    // An hour after the counted one (T0 or T0 + 1 ms, whichever Redis ran first), whichever
    // instance sees it first counts it, once.
    assert.equal(await counted(two!, [{ ...alice, at: T0 + HOUR + 1 }]), 1);
    assert.equal(await counted(one!, [{ ...alice, at: T0 + HOUR + 5 }]), 0);
  });

  test('with Redis unreachable, the instance decides alone and downloads do not fail', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    clients.push(down);
    const dedup = createDownloadDedup({ windowMs: HOUR, maxEntries: 1_000, redis: down, redisPrefix: prefix });
    assert.equal(await counted(dedup, flood()), 1);
  });
});

test('clientKey: an IPv4 address as it is (mapped or not), an IPv6 one as its /64', () => {
  const cases: [string, string][] = [
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:0db8:0001:0002:0:0:0:1', '2001:db8:1:2'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2'],
    ['2001:db8::1', '2001:db8:0:0'],
    ['1:2::3:4:5:6:7', '1:2:0:3'],
    ['::1', '0:0:0:0'],
    ['fe80::1%eth0', 'fe80:0:0:0'],
  ];
  for (const [ip, key] of cases) assert.equal(clientKey(ip), key, ip);
});
