/**
 * `npm run mirror -- --from URL --follow`: the real command as a long-running follower of a primary's
 * changes feed. What the primary publishes, yanks and deletes reaches the mirror's database at the next
 * poll, and SIGTERM ends the follower cleanly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, type RegistryDatabase } from '../../packages/registry/src/db/database.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run mirror -- --follow', () => {
  let primary: TestRegistry;
  let dir: string;
  let follower: ChildProcess;
  let output = '';
  let mirrorDb: RegistryDatabase;
  let owner: { username: string; token: string };

  before(async () => {
    primary = await startRegistry({ REGISTRY_LIMIT_NEW_PACKAGES_BURST: '0', REGISTRY_LIMIT_NEW_VERSIONS_BURST: '0' });
    owner = await signUp(primary.api);
    dir = await mkdtemp(join(tmpdir(), 'synapse-follow-'));
    const env = {
      ...process.env,
      REGISTRY_ENV: 'test',
      REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
      REGISTRY_STORAGE_TYPE: 'local',
      REGISTRY_STORAGE_PATH: join(dir, 'packages'),
      REGISTRY_DATA_DIR: dir,
    };
    // The database first, so the test can read it while the follower writes (SQLite, WAL).
    mirrorDb = await openDatabase({ kind: 'sqlite', path: join(dir, 'registry.db') });
    follower = spawn(process.execPath, ['bin/maintenance.mjs', 'mirror', '--from', primary.url, '--follow', '--poll-seconds', '1'], {
      cwd: ROOT,
      env,
    });
    follower.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    follower.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  });
  after(async () => {
    if (follower.exitCode === null && follower.signalCode === null) follower.kill('SIGKILL');
    await mirrorDb?.close();
    await primary?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const liveVersions = async (name: string) =>
    (
      await sql<{ version: string; yanked: number }>`SELECT v.version, CASE WHEN v.yanked_at IS NULL THEN 0 ELSE 1 END AS yanked
        FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = ${name} AND v.deleted_at IS NULL ORDER BY v.id`.execute(
        mirrorDb.kysely,
      )
    ).rows.map((r) => `${r.version}${r.yanked ? ' yanked' : ''}`);

  /** Polls the mirror's database (another process writes it; there is no clock to move) for up to 30 s. */
  async function until(what: string, name: string, expected: string[]): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const now = await liveVersions(name);
      if (JSON.stringify(now) === JSON.stringify(expected)) return;
      assert.ok(Date.now() < deadline, `${what}: the mirror holds ${JSON.stringify(now)}, not ${JSON.stringify(expected)}\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  test('changes on the primary reach the mirror while it follows; SIGTERM ends it with exit 0', async () => {
    const name = uniqueName('followed');
    assert.equal((await publish(primary.api, owner.token, { name, version: '1.0.0' })).status, 201);
    await until('first publish', name, ['1.0.0']);
    assert.equal((await publish(primary.api, owner.token, { name, version: '1.1.0' })).status, 201);
    assert.equal(
      (await call(`${primary.api}/packages/${name}/1.0.0/yank`, { method: 'PUT', token: owner.token, json: { reason: 'bad' } })).status,
      200,
    );
    await until('a publish and a yank later', name, ['1.0.0 yanked', '1.1.0']);
    assert.equal((await call(`${primary.api}/packages/${name}/1.1.0`, { method: 'DELETE', token: owner.token })).status, 204);
    await until('a deletion later', name, ['1.0.0 yanked']);
    const exit = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    follower.kill('SIGTERM');
    assert.equal(await exit, 0, output);
  });
});
