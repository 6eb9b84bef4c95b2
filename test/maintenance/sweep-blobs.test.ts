/** `npm run sweep-blobs`: the real command, against a registry's real SQLite file and blob folder. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { publish, signUp, uniqueName } from '../helpers/client.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const DAY_AGO = new Date(Date.now() - 25 * 3_600_000);

describe('npm run sweep-blobs', () => {
  let r: TestRegistry;
  let token: string;
  const blobPath = (key: string) => join(r.dir, 'packages', 'blobs', key.slice(0, 2), key.slice(2, 4), key);
  const age = (key: string) => utimes(blobPath(key), DAY_AGO, DAY_AGO);
  /** A blob in the store that no version refers to, as a publish whose database write failed leaves. */
  const orphan = async () => {
    const store = r.registry.deps.store;
    return store.commit(await store.stage(Readable.from([randomBytes(500)]), { maxBytes: 10_000 }));
  };
  const sweep = (...args: string[]) =>
    run(process.execPath, ['bin/maintenance.mjs', 'sweep-blobs', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        REGISTRY_ENV: 'test',
        REGISTRY_DB_URL: `sqlite://${join(r.dir, 'registry.db')}`,
        REGISTRY_STORAGE_TYPE: 'local',
        REGISTRY_STORAGE_PATH: join(r.dir, 'packages'),
        REGISTRY_DATA_DIR: r.dir,
      },
    });
  const files = async () => new Set((await r.blobFiles()).map((f) => f.split('/').pop()!));

  before(async () => {
    // Always the embedded default: the command reads the same SQLite file and folder.
    const dir = await mkdtemp(join(tmpdir(), 'sweep-'));
    r = await startRegistry({ REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`, REGISTRY_STORAGE_TYPE: 'local' }, { dir });
    ({ token } = await signUp(r.api));
  });
  after(() => r?.close());

  test('lists old unreferenced blobs, removes them with --delete, and keeps live and recent ones', async () => {
    const name = uniqueName('sweep');
    const live = await publish(r.api, token, { name, version: '1.0.0' });
    assert.equal(live.status, 201);
    const liveKey = live.body.checksum as string;
    const oldOrphan = await orphan();
    const newOrphan = await orphan();
    await age(liveKey);
    await age(oldOrphan);

    const dry = await sweep();
    assert.match(dry.stdout, new RegExp(`^${oldOrphan}$`, 'm'));
    assert.doesNotMatch(dry.stdout, new RegExp(`${liveKey}|${newOrphan}`));
    assert.match(dry.stdout, /1 older than 24 h unreferenced \(run with --delete to remove them\)/);
    assert.ok((await files()).has(oldOrphan), 'a dry run removes nothing');

    const real = await sweep('--delete');
    assert.match(real.stdout, /1 older than 24 h removed/);
    const left = await files();
    assert.equal(left.has(oldOrphan), false);
    assert.ok(left.has(newOrphan), 'a recent blob may belong to a publish in flight');
    assert.ok(left.has(liveKey));
    const download = await fetch(`${r.api}/packages/${name}/1.0.0/tarball`);
    assert.equal(download.status, 200);
    assert.equal(
      createHash('sha256')
        .update(Buffer.from(await download.arrayBuffer()))
        .digest('hex'),
      liveKey,
    );
  });

  test('a publish that reuses an old orphan refreshes it, so a sweep spares it', async () => {
    const name = uniqueName('reuse');
    const first = await publish(r.api, token, { name, version: '1.0.0' });
    const key = first.body.checksum as string;
    // The version's row goes (as if its transaction had failed); the blob stays behind, a day old.
    await r.registry.deps.db.kysely.deleteFrom('versions').where('checksum', '=', key).execute();
    await r.registry.deps.db.kysely.deleteFrom('packages').where('name', '=', name).execute();
    await age(key);
    // The same tarball again (a retried publish): the store finds the bytes and refreshes them.
    const store = r.registry.deps.store;
    const reader = await store.open(key);
    assert.equal(await store.commit(await store.stage(reader!.stream, { maxBytes: 1_000_000 })), key);
    const dry = await sweep();
    assert.doesNotMatch(dry.stdout, new RegExp(key));
  });

  test('a wrong option is a usage error (exit 2) that touches nothing', async () => {
    const before = await files();
    for (const args of [['--min-age-hours', '0'], ['--min-age-hours', 'soon'], ['--force']]) {
      await assert.rejects(sweep(...args), (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 2, args.join(' '));
        assert.match(err.stderr, /usage: npm run sweep-blobs/);
        return true;
      });
    }
    assert.deepEqual(await files(), before);
  });
});
