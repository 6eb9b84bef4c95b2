/** reindexAll (npm run reindex): rebuilds a lost or damaged search index from the package rows. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clearSearchIndex } from '../../../packages/registry/src/db/search-index.ts';
import { reindexAll } from '../../../packages/registry/src/db/search-reindex.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp } from '../../helpers/client.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
  const { token } = await signUp(r.api);
  for (const name of ['rebuild-me', 'and-me']) {
    assert.equal((await publish(r.api, token, { name, version: '1.0.0', keywords: ['phoenix'] })).status, 201);
  }
  assert.equal((await publish(r.api, token, { name: 'gone-soon', version: '1.0.0', keywords: ['phoenix'] })).status, 201);
  assert.equal((await call(`${r.api}/packages/gone-soon/1.0.0`, { method: 'DELETE', token })).status, 204);
});
after(() => r.close());

const found = async (q: string) =>
  ((await call(`${r.api}/search?${new URLSearchParams({ q })}`)).body.results as { name: string }[]).map((h) => h.name).sort();

test('an emptied index finds nothing; after reindexAll it finds the live packages again, typos included', async () => {
  const { kysely, dialect } = r.registry.deps.db;
  assert.deepEqual(await found('phoenix '), ['and-me', 'rebuild-me']);
  await clearSearchIndex(kysely, dialect);
  assert.deepEqual(await found('phoenix '), []);
  assert.equal(await reindexAll(kysely, dialect, new Date()), 2);
  assert.deepEqual(await found('phoenix '), ['and-me', 'rebuild-me']);
  assert.deepEqual(await found('phoneix '), ['and-me', 'rebuild-me']);
  assert.deepEqual(await found('gone '), []);
});
