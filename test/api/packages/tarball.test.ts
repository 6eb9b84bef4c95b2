/** GET /packages/{name}/{version}/tarball: headers, conditional and range requests, streaming, download counting. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publishTarball, signUp, uniqueName } from '../../helpers/client.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

let r: TestRegistry;
let token: string;

before(async () => {
  r = await startRegistry();
  ({ token } = await signUp(r.api));
});
after(() => r.close());

/** Publishes name@version with some random file content; returns the exact bytes sent. */
async function publishRandom(reg: TestRegistry, tok: string, name: string, version: string, bytes = 2048): Promise<Buffer> {
  const tgz = packageTarball({ name, version }, { files: { 'data.bin': randomBytes(bytes) } });
  const res = await publishTarball(reg.api, tok, tgz);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return tgz;
}

async function download(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

const tarballUrl = (reg: TestRegistry, name: string, version: string) => `${reg.api}/packages/${name}/${version}/tarball`;

describe('tarball download', () => {
  test('200 with gzip type, length, sha256 ETag, immutable caching and the published bytes', async () => {
    const name = uniqueName('tgz');
    const sent = await publishRandom(r, token, name, '1.0.0');
    const { res, bytes } = await download(tarballUrl(r, name, '1.0.0'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/gzip');
    assert.equal(res.headers.get('content-length'), String(sent.length));
    assert.equal(res.headers.get('etag'), `"${sha256(sent)}"`);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(sha256(bytes), sha256(sent));
  });

  test('If-None-Match with the ETag is a 304 with no body', async () => {
    const name = uniqueName('etag');
    const sent = await publishRandom(r, token, name, '1.0.0');
    const etag = `"${sha256(sent)}"`;
    const { res, bytes } = await download(tarballUrl(r, name, '1.0.0'), { 'if-none-match': etag });
    assert.equal(res.status, 304);
    assert.equal(bytes.length, 0);
    assert.equal(res.headers.get('etag'), etag);

    for (const header of [`"other", ${etag}`, `W/${etag}`, '*']) {
      const matched = await download(tarballUrl(r, name, '1.0.0'), { 'if-none-match': header });
      assert.equal(matched.res.status, 304, header);
    }

    const stale = await download(tarballUrl(r, name, '1.0.0'), { 'if-none-match': '"0000"' });
    assert.equal(stale.res.status, 200);
    assert.equal(sha256(stale.bytes), sha256(sent));
  });

  test('Range bytes=0-9 is a 206 with Content-Range and those ten bytes', async () => {
    const name = uniqueName('range');
    const sent = await publishRandom(r, token, name, '1.0.0');
    const { res, bytes } = await download(tarballUrl(r, name, '1.0.0'), { range: 'bytes=0-9' });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 0-9/${sent.length}`);
    assert.equal(res.headers.get('content-length'), '10');
    assert.deepEqual(bytes, sent.subarray(0, 10));

    const tail = await download(tarballUrl(r, name, '1.0.0'), { range: `bytes=${sent.length - 5}-` });
    assert.equal(tail.res.status, 206);
    assert.deepEqual(tail.bytes, sent.subarray(sent.length - 5));
  });

  test('an unsatisfiable range is a 416 problem naming the size', async () => {
    const name = uniqueName('r416');
    const sent = await publishRandom(r, token, name, '1.0.0');
    const { res, bytes } = await download(tarballUrl(r, name, '1.0.0'), { range: `bytes=${sent.length}-` });
    assert.equal(res.status, 416);
    assert.equal(res.headers.get('content-range'), `bytes */${sent.length}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = JSON.parse(bytes.toString());
    assert.equal(problem.status, 416);
    assert.equal(problem.title, 'Range Not Satisfiable');
  });

  test('an invalid Range header (last byte before the first) is ignored: the whole file', async () => {
    const name = uniqueName('rbad');
    const sent = await publishRandom(r, token, name, '1.0.0');
    const { res, bytes } = await download(tarballUrl(r, name, '1.0.0'), { range: 'bytes=9-2' });
    assert.equal(res.status, 200);
    assert.equal(sha256(bytes), sha256(sent));
  });

  test('HEAD answers the headers without a body', async () => {
    const name = uniqueName('head');
    const sent = await publishRandom(r, token, name, '1.0.0');
    const res = await fetch(tarballUrl(r, name, '1.0.0'), { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(sent.length));
    assert.equal(res.headers.get('etag'), `"${sha256(sent)}"`);
    assert.equal(res.headers.get('content-disposition'), `attachment; filename="${name}-1.0.0.tgz"; filename*=UTF-8''${name}-1.0.0.tgz`);
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  test('404 problems for an unknown version, an invalid version and an unknown package', async () => {
    const name = uniqueName('t404');
    await publishRandom(r, token, name, '1.0.0');
    for (const url of [tarballUrl(r, name, '2.0.0'), tarballUrl(r, name, 'latest'), tarballUrl(r, uniqueName('ghost'), '1.0.0')]) {
      const res = await call(url);
      assert.equal(res.status, 404, url);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, url);
      assert.equal(res.body.code, 'version_not_found', url);
    }
  });

  test('a 20 MB tarball is streamed: headers and a first chunk arrive before the rest, bytes intact', async () => {
    const name = uniqueName('big');
    const sent = await publishRandom(r, token, name, '1.0.0', 20 * 1024 * 1024);
    const res = await fetch(tarballUrl(r, name, '1.0.0'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(sent.length));
    assert.ok(res.body);
    const reader = res.body.getReader();
    const first = await reader.read();
    assert.equal(first.done, false);
    // The first chunk is a piece of the file, not all of it.
    assert.ok(first.value.length < sent.length, `first chunk was ${first.value.length} bytes`);
    const hash = createHash('sha256').update(first.value);
    let received = first.value.length;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      received += value.length;
    }
    assert.equal(received, sent.length);
    assert.equal(hash.digest('hex'), sha256(sent));
  });
});

describe('download counting', () => {
  test('N downloads show on the version, the package, /stats and the raw log with IP and user agent', async () => {
    const name = uniqueName('count');
    await publishRandom(r, token, name, '1.0.0');
    await publishRandom(r, token, name, '1.1.0');
    const statsBefore = (await call(`${r.api}/stats`)).body.downloads.total as number;
    const N = 7;
    for (let i = 0; i < N; i++) {
      const { res } = await download(tarballUrl(r, name, '1.0.0'), { 'user-agent': `synapse-test/${i}` });
      assert.equal(res.status, 200);
    }
    await r.registry.deps.downloads.flush();
    const version = await call(`${r.api}/packages/${name}/1.0.0`);
    assert.equal(version.body.downloads, N);
    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.body.downloads, N);
    assert.equal(pkg.body.versions.find((v: { version: string }) => v.version === '1.0.0').downloads, N);
    assert.equal(pkg.body.versions.find((v: { version: string }) => v.version === '1.1.0').downloads, 0);
    const stats = await call(`${r.api}/stats`);
    assert.equal(stats.body.downloads.total, statsBefore + N);

    const db = r.registry.deps.db.kysely;
    const log = await db
      .selectFrom('download_log')
      .innerJoin('versions', 'versions.id', 'download_log.version_id')
      .innerJoin('packages', 'packages.id', 'versions.package_id')
      .select(['download_log.ip', 'download_log.user_agent', 'download_log.downloaded_at', 'versions.version'])
      .where('packages.name', '=', name)
      .execute();
    assert.equal(log.length, N);
    for (const row of log) {
      assert.equal(row.version, '1.0.0');
      assert.equal(row.ip, '127.0.0.1');
      assert.match(row.user_agent ?? '', /^synapse-test\/\d$/);
      assert.ok(!Number.isNaN(Date.parse(row.downloaded_at)));
    }
    assert.deepEqual(new Set(log.map((row) => row.user_agent)).size, N);
  });

  test('a 304 is not counted', async () => {
    const name = uniqueName('c304');
    const sent = await publishRandom(r, token, name, '1.0.0');
    await download(tarballUrl(r, name, '1.0.0'));
    for (let i = 0; i < 3; i++) {
      const { res } = await download(tarballUrl(r, name, '1.0.0'), { 'if-none-match': `"${sha256(sent)}"` });
      assert.equal(res.status, 304);
    }
    await r.registry.deps.downloads.flush();
    const version = await call(`${r.api}/packages/${name}/1.0.0`);
    assert.equal(version.body.downloads, 1);
  });

  test('HEAD requests and resumed ranges are not counted; a range from byte 0 is', async () => {
    const name = uniqueName('cmisc');
    await publishRandom(r, token, name, '1.0.0');
    const url = tarballUrl(r, name, '1.0.0');
    for (let i = 0; i < 2; i++) assert.equal((await fetch(url, { method: 'HEAD' })).status, 200);
    assert.equal((await download(url, { range: 'bytes=100-' })).res.status, 206);
    assert.equal((await download(url, { range: 'bytes=0-99' })).res.status, 206);
    await r.registry.deps.downloads.flush();
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).body.downloads, 1);
  });

  test('counts are written in batches: nothing per request, then one row per version per day', async () => {
    // A long interval, so only an explicit flush writes.
    const slow = await startRegistry({ REGISTRY_DOWNLOAD_FLUSH_MS: '600000' });
    try {
      const { token: tok } = await signUp(slow.api);
      const name = uniqueName('batch');
      await publishRandom(slow, tok, name, '1.0.0');
      await publishRandom(slow, tok, name, '2.0.0');
      // Concurrent downloads, so none is lost between requests racing each other.
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => download(tarballUrl(slow, name, '1.0.0'))),
        ...Array.from({ length: 3 }, () => download(tarballUrl(slow, name, '2.0.0'))),
      ]);
      assert.deepEqual(
        results.map(({ res }) => res.status),
        Array(8).fill(200),
      );
      const db = slow.registry.deps.db.kysely;
      assert.equal((await db.selectFrom('download_counts').selectAll().execute()).length, 0, 'no write per request');
      assert.equal((await db.selectFrom('download_log').selectAll().execute()).length, 0, 'no log write per request');

      await slow.registry.deps.downloads.flush();
      const rows = await db
        .selectFrom('download_counts')
        .innerJoin('versions', 'versions.id', 'download_counts.version_id')
        .select(['versions.version', 'download_counts.day', 'download_counts.count'])
        .orderBy('versions.version')
        .execute();
      const log = await db.selectFrom('download_log').select(['version_id', 'downloaded_at']).execute();
      assert.equal(log.length, 8);
      // One row per version per day (a run across midnight UTC makes two days).
      const days = new Set(log.map((row) => `${row.version_id}:${row.downloaded_at.slice(0, 10)}`));
      assert.equal(rows.length, days.size);
      const total = (version: string) => rows.filter((row) => row.version === version).reduce((sum, row) => sum + row.count, 0);
      assert.equal(total('1.0.0'), 5);
      assert.equal(total('2.0.0'), 3);
    } finally {
      await slow.close();
    }
  });

  test('downloads buffered when the registry closes are written, and survive a restart', async () => {
    const first = await startRegistry({ REGISTRY_DOWNLOAD_FLUSH_MS: '600000' }, { keepDir: true });
    try {
      const { token: tok } = await signUp(first.api);
      const name = uniqueName('shutdown');
      await publishRandom(first, tok, name, '1.0.0');
      for (let i = 0; i < 4; i++) assert.equal((await download(tarballUrl(first, name, '1.0.0'))).res.status, 200);
      // Closed long before the interval: close() must flush.
      await first.close();

      const second = await startRegistry({}, { dir: first.dir });
      try {
        const version = await call(`${second.api}/packages/${name}/1.0.0`);
        assert.equal(version.status, 200);
        assert.equal(version.body.downloads, 4);
        const stats = await call(`${second.api}/stats`);
        assert.equal(stats.body.downloads.total, 4);
        const log = await second.registry.deps.db.kysely.selectFrom('download_log').selectAll().execute();
        assert.equal(log.length, 4);
      } finally {
        await second.close();
      }
    } finally {
      await rm(first.dir, { recursive: true, force: true });
    }
  });
});
