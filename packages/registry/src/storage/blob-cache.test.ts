import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createLocalStore } from './local.ts';
import { withBlobCache } from './blob-cache.ts';
import type { BlobStore } from './blob-store.ts';

describe('blob cache over a local store', () => {
  let root: string;
  let store: BlobStore;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'blob-cache-'));
    store = await createLocalStore({ root });
  });
  after(() => rm(root, { recursive: true, force: true }));

  const put = async (bytes: Buffer) => {
    const staged = await store.stage(Readable.from([bytes]), { maxBytes: 1 << 24 });
    return store.commit(staged);
  };

  test('serves a small blob from memory after the first read, byte for byte', async () => {
    const bytes = randomBytes(10_000);
    const key = await put(bytes);
    const cached = withBlobCache(store, { maxBytes: 1 << 20, maxBlobBytes: 1 << 16 });
    const first = await cached.open(key);
    assert.deepEqual(first?.bytes, bytes);
    // With the file gone from the folder, only the cache can still answer.
    await store.remove(key);
    const second = await cached.open(key);
    assert.equal(second?.size, bytes.length);
    assert.deepEqual(await buffer(second!.stream), bytes);
  });

  test('large blobs and ranges are always streamed from the store', async () => {
    const big = randomBytes(100_000);
    const key = await put(big);
    const cached = withBlobCache(store, { maxBytes: 1 << 20, maxBlobBytes: 1 << 16 });
    const whole = await cached.open(key);
    assert.equal(whole?.bytes, undefined);
    assert.equal(
      createHash('sha256')
        .update(await buffer(whole!.stream))
        .digest('hex'),
      key,
    );
    const part = await cached.open(key, { start: 10, end: 19 });
    assert.deepEqual(await buffer(part!.stream), big.subarray(10, 20));
  });

  test('removal drops the cached copy, and the least recently used goes first when full', async () => {
    const [a, b, c] = [randomBytes(400), randomBytes(400), randomBytes(400)];
    const keys = await Promise.all([a, b, c].map(put));
    const cached = withBlobCache(store, { maxBytes: 1000, maxBlobBytes: 1000 });
    await cached.open(keys[0]!);
    await cached.open(keys[1]!);
    await cached.open(keys[0]!); // a is now the most recent
    await cached.open(keys[2]!); // over 1000 bytes: b goes
    await Promise.all(keys.map((k) => store.remove(k)));
    assert.ok(await cached.open(keys[0]!));
    assert.ok(await cached.open(keys[2]!));
    assert.equal(await cached.open(keys[1]!), null);

    await cached.remove(keys[0]!);
    assert.equal(await cached.open(keys[0]!), null);
  });
});

describe('blob cache accounting', () => {
  test('concurrent first reads of one blob count it once, so the cache keeps its full capacity', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blob-cache-'));
    try {
      const store = await createLocalStore({ root });
      const put = async (bytes: Buffer) => store.commit(await store.stage(Readable.from([bytes]), { maxBytes: 1 << 20 }));
      const [a, b] = [randomBytes(400), randomBytes(400)];
      const [keyA, keyB] = [await put(a), await put(b)];
      const cached = withBlobCache(store, { maxBytes: 1000, maxBlobBytes: 1000 });
      // Ten racing misses of a: counted ten times, a would push b out at once.
      await Promise.all(Array.from({ length: 10 }, () => cached.open(keyA)));
      await cached.open(keyB);
      await store.remove(keyA);
      await store.remove(keyB);
      assert.ok(await cached.open(keyA), 'a is still cached');
      assert.ok(await cached.open(keyB), 'b is still cached');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
