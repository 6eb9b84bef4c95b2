/**
 * The client revalidates the package documents it keeps: the second resolve sends the ETag it was
 * given, a 304 answers from the kept copy, and a copy that went missing is fetched whole.
 */
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { packageTarball } from '../fixtures/tarballs.ts';
import { sriOf } from '../../packages/cli/src/integrity.ts';
import { sandbox, type Sandbox } from './cli.ts';
import { fakeRegistry, json, type FakeRegistry } from './fake-registry.ts';

let reg: FakeRegistry;
let box: Sandbox;
const asked: { ifNoneMatch: string | undefined; status: number }[] = [];

before(async () => {
  reg = await fakeRegistry();
  box = await sandbox();
  const tgz = packageTarball({ name: 'dep', version: '1.0.0', description: 'a dependency' });
  const doc = {
    name: 'dep',
    latest: '1.0.0',
    dist_tags: { latest: '1.0.0' },
    versions: [
      {
        version: '1.0.0',
        dependencies: {},
        published_at: '2026-01-01T00:00:00Z',
        integrity: sriOf(tgz),
        tarball_url: `${reg.url}/api/v1/packages/dep/1.0.0/tarball`,
      },
    ],
  };
  reg.routes.set('GET /api/v1/packages/dep', (req, res) => {
    const ifNoneMatch = req.headers['if-none-match'];
    const status = ifNoneMatch === 'W/"v1"' ? 304 : 200;
    asked.push({ ifNoneMatch, status });
    if (status === 304) return void res.writeHead(304, { etag: 'W/"v1"' }).end();
    res.setHeader('etag', 'W/"v1"');
    json(res, 200, doc);
  });
  reg.routes.set(
    'GET /api/v1/packages/dep/1.0.0/tarball',
    (_req, res) => void res.writeHead(200, { 'content-type': 'application/gzip' }).end(tgz),
  );
});

after(async () => {
  await reg.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('metadata revalidation', () => {
  test('the kept document is revalidated with its ETag and used on a 304', async () => {
    const cwd = await box.project('app', { name: 'app', version: '1.0.0', dependencies: { dep: '^1.0.0' } });
    const first = await box.run(['pkg', 'install', '--registry', reg.url], { cwd });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(asked, [{ ifNoneMatch: undefined, status: 200 }]);

    const update = await box.run(['pkg', 'update', '--registry', reg.url], { cwd });
    assert.equal(update.code, 0, update.stderr);
    assert.deepEqual(asked.at(-1), { ifNoneMatch: 'W/"v1"', status: 304 }, 'the second resolve revalidates');
    assert.match(update.stdout, /Already up to date/);

    // The kept copy removed behind the client's back: the 304 cannot be used, the whole document is fetched.
    const cache = box.cache;
    const files = await findFiles(cache, /dep\.json$/);
    assert.equal(files.length, 1, `one kept copy of dep's document under ${cache}`);
    await rm(files[0]!);
    const count = asked.length;
    const again = await box.run(['pkg', 'update', '--registry', reg.url], { cwd });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(asked.slice(count), [
      { ifNoneMatch: 'W/"v1"', status: 304 },
      { ifNoneMatch: undefined, status: 200 },
    ]);
  });
});

async function findFiles(dir: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}
