/**
 * A restarted registry with a public URL builds the most downloaded packages' documents before it
 * listens, and what it built is byte for byte what GET /packages/{name} then serves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { publish, signUp, uniqueName } from '../../helpers/client.ts';
import { findShownPackage } from '../../../packages/registry/src/db/shown-package.ts';
import { packageStamp } from '../../../packages/registry/src/server/routes/packages/package-document.ts';

const PUBLIC = 'https://registry.example.test';

/** The document the cache holds for `name` under its current row, if any. */
async function cachedDocument(r: TestRegistry, name: string): Promise<string | undefined> {
  const pkg = await findShownPackage(r.registry.deps.db, name);
  assert.ok(pkg, name);
  return r.registry.deps.documents.get(`package:${PUBLIC}:${pkg.id}`, packageStamp(pkg));
}

test('the package documents are built before the first request after a restart, and served as built', async () => {
  const first = await startRegistry({ REGISTRY_PUBLIC_URL: PUBLIC }, { keepDir: true });
  const names = [uniqueName('warm-a'), uniqueName('warm-b')];
  try {
    const { token } = await signUp(first.api);
    for (const name of names) {
      assert.equal((await publish(first.api, token, { name, version: '1.0.0' })).status, 201);
      assert.equal((await publish(first.api, token, { name, version: '1.1.0' })).status, 201);
    }
  } finally {
    await first.close();
  }
  const again = await startRegistry({ REGISTRY_PUBLIC_URL: PUBLIC }, { dir: first.dir, keepDir: true });
  try {
    for (const name of names) {
      const warmed = await cachedDocument(again, name);
      assert.ok(warmed, `${name} was built at start`);
      const served = await fetch(`${again.api}/packages/${name}`);
      assert.equal(served.status, 200);
      assert.equal(await served.text(), warmed, 'the warmed document is the served one');
      assert.equal(JSON.parse(warmed).versions.length, 2);
    }
  } finally {
    await again.close();
  }
  // Without a public URL the documents' URLs come from each request's Host: nothing is built ahead.
  const plain = await startRegistry({}, { dir: first.dir });
  try {
    const pkg = await findShownPackage(plain.registry.deps.db, names[0]!);
    assert.ok(pkg);
    assert.equal(plain.registry.deps.documents.get(`package:${plain.url}:${pkg.id}`, packageStamp(pkg)), undefined);
  } finally {
    await plain.close();
  }
});
