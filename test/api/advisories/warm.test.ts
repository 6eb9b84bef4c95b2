/** After a restart the stored advisories are compiled ahead of the first query, in the background. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { findAdvisory } from '../../../packages/registry/src/advisories/store.ts';
import { signUpAdmin } from '../admin/admin-helpers.ts';
import { osv } from './osv-fixtures.ts';

test('a restarted registry has every stored advisory compiled before anyone asks, withdrawn ones too', async () => {
  const first = await startRegistry({}, { keepDir: true });
  const ids: string[] = [];
  try {
    const admin = await signUpAdmin(first);
    const owner = await signUp(first.api);
    const name = uniqueName('warm');
    assert.equal((await publish(first.api, owner.token, { name, version: '1.0.0' })).status, 201);
    for (let i = 0; i < 3; i++) {
      const id = `GHSA-${uniqueName('w').replace(/[^a-z0-9]/g, '')}`;
      const body = { ...osv({ id, name, events: [{ introduced: '0' }] }), ...(i === 2 ? { withdrawn: '2025-06-01T00:00:00Z' } : {}) };
      assert.equal((await call(`${first.api}/advisories`, { token: admin.token, json: body })).status, 201);
      ids.push(id);
    }
  } finally {
    await first.close();
  }
  const again = await startRegistry({}, { dir: first.dir });
  try {
    await again.registry.advisoriesWarmed;
    for (const id of ids) {
      const row = await findAdvisory(again.registry.deps.db.kysely, id);
      assert.ok(row, id);
      const cached = again.registry.deps.advisories.get(Number(row.seq), Number(row.revision));
      assert.equal(cached?.id, id, `${id} is compiled in the cache`);
    }
  } finally {
    await again.close();
  }
});
