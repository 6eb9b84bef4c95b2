/**
 * After a restart, the tarballs downloaded most over the last two days are held in memory before the
 * registry listens (packages/registry/src/server/warm-paths.ts), beside each warmed package's latest:
 * the first clients asking for them again wait for no storage read. Shown by removing blobs from
 * storage behind the restarted registry's back: what was downloaded, and the latest, still download;
 * a version nobody downloaded does not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createBlobStore } from '../../packages/registry/src/storage/index.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { publishTarball, signUp, uniqueName } from '../helpers/client.ts';
import { packageTarball } from '../fixtures/tarballs.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const name = uniqueName('warmtar');
const VERSIONS = ['1.0.0', '1.1.0', '2.0.0'] as const;
const sent = new Map<string, Buffer>();
let r: TestRegistry;

const tarballUrl = (version: string) => `${r.api}/packages/${name}/${version}/tarball`;

before(async () => {
  const first = await startRegistry({}, { keepDir: true });
  const { token } = await signUp(first.api);
  for (const version of VERSIONS) {
    const tgz = packageTarball({ name, version }, { files: { 'data.bin': randomBytes(3000) } });
    assert.equal((await publishTarball(first.api, token, tgz)).status, 201);
    sent.set(version, tgz);
  }
  // A download of an older version, counted when the registry closes (its flush).
  assert.equal((await fetch(`${first.api}/packages/${name}/1.0.0/tarball`)).status, 200);
  await first.close();
  r = await startRegistry(
    // Documents (and so the warm-up) come before listening only with a public URL.
    { REGISTRY_WARM_REQUESTS: '100', REGISTRY_PUBLIC_URL: 'http://registry.example' },
    { dir: first.dir },
  );
});
after(() => r?.close());

test('the versions downloaded before a restart, and the latest, are served without storage; others are read from it', async () => {
  // The registry's storage itself, without its cache in front: what an operator deleting files would do.
  const storage = await createBlobStore(r.registry.deps.config.storage);
  for (const version of VERSIONS) await storage.remove(sha256(sent.get(version)!));

  for (const version of ['1.0.0', '2.0.0']) {
    const res = await fetch(tarballUrl(version));
    assert.equal(res.status, 200, `${version} was held`);
    assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(sent.get(version)!));
  }
  const unheld = await fetch(tarballUrl('1.1.0'));
  assert.equal(unheld.status, 503, '1.1.0 was never downloaded nor latest: it is read from storage, where it is gone');
  assert.equal(((await unheld.json()) as { code: string }).code, 'blob_missing');
});
