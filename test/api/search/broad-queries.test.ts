/**
 * A query matching more than REGISTRY_SEARCH_RANK_ALL_LIMIT packages ranks a bounded set of its
 * matches (those among the most downloaded packages, plus the newest that fill the page), not all of
 * them, while `total` still counts every match and an exact name still comes first. Lowering the
 * limit to 1 makes a handful of packages "broad": the best text match is then left out of the first
 * page when it is neither the most downloaded nor the newest, which ranking every match never does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp } from '../../helpers/client.ts';

let bounded: TestRegistry;
let rankAll: TestRegistry;

const PACKAGES = [
  // Oldest, and the best text match for `cog`: the word in its name.
  { name: 'cog-core', description: 'Core cog and sprocket types' },
  { name: 'sprocket', description: 'The sprocket package itself' },
  // The most downloaded.
  { name: 'gear-lib', description: 'Gears, with a cog and sprocket helper' },
  { name: 'pulley-kit', description: 'Pulleys and a cog and sprocket adapter' },
  // The newest.
  { name: 'chain-set', description: 'Chains that fit any cog or sprocket' },
];

async function load(env: Record<string, string>): Promise<TestRegistry> {
  const r = await startRegistry(env);
  const { token } = await signUp(r.api);
  for (const pkg of PACKAGES) assert.equal((await publish(r.api, token, { ...pkg, version: '1.0.0' })).status, 201);
  assert.equal((await call(`${r.api}/packages/gear-lib/1.0.0/tarball`)).status, 200);
  await r.registry.deps.downloads.flush();
  return r;
}

const names = (body: { results: Array<{ name: string }> }) => body.results.map((p) => p.name);

before(async () => {
  bounded = await load({ REGISTRY_SEARCH_RANK_ALL_LIMIT: '1' });
  rankAll = await load({});
});
after(async () => {
  await bounded.close();
  await rankAll.close();
});

describe('queries matching more packages than REGISTRY_SEARCH_RANK_ALL_LIMIT', () => {
  test('past the limit only the most downloaded and the newest matches are ranked; total counts them all', async () => {
    const first = await call(`${bounded.api}/search?q=cog&per_page=1`);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.total, 4);
    // gear-lib (most downloaded) and chain-set (newest) were ranked; cog-core was not.
    assert.ok(['gear-lib', 'chain-set'].includes(names(first.body)[0]!), JSON.stringify(first.body));
    const unbounded = await call(`${rankAll.api}/search?q=cog&per_page=1`);
    assert.deepEqual(names(unbounded.body), ['cog-core']);
    assert.equal(unbounded.body.total, 4);
  });

  test('a page reaching past the pool ranks the newest matches down to it, so it is full', async () => {
    const res = await call(`${bounded.api}/search?q=cog&per_page=4`);
    assert.equal(res.body.total, 4);
    assert.deepEqual(names(res.body).sort(), ['chain-set', 'cog-core', 'gear-lib', 'pulley-kit']);
  });

  test('an exact name still comes first', async () => {
    const res = await call(`${bounded.api}/search?q=sprocket&per_page=1`);
    assert.equal(res.body.total, 5);
    assert.deepEqual(names(res.body), ['sprocket']);
  });
});
