/** `npm run advisories -- import DIR`: the real command against the test registry's own database, on every backend. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { osv } from '../api/advisories/osv-fixtures.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run advisories -- import DIR', () => {
  let r: TestRegistry;
  let name: string;
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const db = r.registry.deps.config.database;
      const url = db.kind === 'postgres' ? db.url : `sqlite://${db.path}`;
      execFile(
        process.execPath,
        ['bin/maintenance.mjs', 'advisories', ...args],
        {
          cwd: ROOT,
          env: { ...process.env, REGISTRY_ENV: 'test', REGISTRY_DB_URL: url, REGISTRY_STORAGE_TYPE: 'local', REGISTRY_DATA_DIR: r.dir },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
      );
    });
  const folder = async (files: Record<string, unknown>) => {
    const dir = await mkdtemp(join(tmpdir(), 'osv-'));
    for (const [file, body] of Object.entries(files)) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), typeof body === 'string' ? body : JSON.stringify(body));
    }
    return dir;
  };
  const shown = async (id: string) => (await call(`${r.api}/advisories/${id}`)).status;

  before(async () => {
    r = await startRegistry();
    const owner = await signUp(r.api);
    name = uniqueName('imported');
    for (const version of ['1.0.0', '1.1.0']) assert.equal((await publish(r.api, owner.token, { name, version })).status, 201);
  });
  after(() => r?.close());

  test('valid files are imported (nested folders too); importing again changes nothing; a changed file replaces its advisory', async () => {
    const first = osv({ id: 'GHSA-imp1-0001', name, events: [{ introduced: '0' }, { fixed: '1.1.0' }] });
    const dir = await folder({
      'a/GHSA-imp1-0001.json': first,
      'RUSTSEC-2025-0002.json': osv({ id: 'RUSTSEC-2025-0002', name, events: [{ introduced: '1.1.0' }], level: 'HIGH' }),
    });
    const imported = await run('import', dir);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported 2 advisories from .*: 2 new, 0 replaced, 0 unchanged/);
    assert.equal(await shown('GHSA-imp1-0001'), 200);
    const doc = await call(`${r.api}/packages/${name}/advisories`);
    assert.deepEqual(doc.body.advisories.map((a: { id: string }) => a.id).sort(), ['GHSA-imp1-0001', 'RUSTSEC-2025-0002']);

    const again = await run('import', dir);
    assert.match(again.stdout, /0 new, 0 replaced, 2 unchanged/);
    await writeFile(
      join(dir, 'a/GHSA-imp1-0001.json'),
      JSON.stringify({ ...first, summary: 'Corrected', modified: '2025-07-01T00:00:00Z' }),
    );
    assert.match((await run('import', dir)).stdout, /0 new, 1 replaced, 1 unchanged/);
    assert.equal((await call(`${r.api}/advisories/GHSA-imp1-0001`)).body.summary, 'Corrected');
  });

  test('one bad file: each bad file is named with its reason, the command fails, and nothing of the folder is stored', async () => {
    const dir = await folder({
      'GHSA-good-0001.json': osv({ id: 'GHSA-good-0001', name, events: [{ introduced: '0' }] }),
      'broken.json': '{"id": "GHSA-broken"',
      'no-modified.json': { ...osv({ id: 'GHSA-bad-0002', name, events: [{ introduced: '0' }] }), modified: undefined },
      'ghost.json': osv({ id: 'GHSA-bad-0003', name: 'no-such-package-anywhere', events: [{ introduced: '0' }] }),
      'range.json': osv({ id: 'GHSA-bad-0004', name, events: [{ introduced: 'v1' }] }),
    });
    const res = await run('import', dir);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stderr, /4 files are not a valid advisory; nothing was imported/);
    assert.match(res.stderr, /broken\.json: not JSON/);
    assert.match(res.stderr, /no-modified\.json: \(the document\): does not follow the OSV schema: must have required property 'modified'/);
    assert.match(res.stderr, /ghost\.json: affected: this registry has no package named no-such-package-anywhere/);
    assert.match(res.stderr, /range\.json: affected\.0\.ranges\.0\.events\.0\.introduced: "v1" is not a SemVer/);
    assert.equal(await shown('GHSA-good-0001'), 404, 'the good file of a refused folder is not stored either');
  });

  test('a wrong command line prints the usage', async () => {
    const res = await run('load');
    assert.equal(res.code, 2);
    assert.match(res.stderr, /usage: npm run advisories -- import DIR/);
  });
});
