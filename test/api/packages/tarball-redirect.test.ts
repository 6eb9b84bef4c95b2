/**
 * Tarball downloads with REGISTRY_S3_REDIRECT_DOWNLOADS=true: the registry answers 302 to a presigned
 * URL of the store, which then serves the bytes. Only on the S3 backend; the other passes skip it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { testBackend } from '../../helpers/backends.ts';
import { call, publishTarball, signUp, uniqueName } from '../../helpers/client.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

describe('tarball downloads redirected to S3', { skip: testBackend() !== 'postgres-s3' && 'needs the S3 backend' }, () => {
  let r: TestRegistry;
  let token: string;
  let name: string;
  let sent: Buffer;

  before(async () => {
    r = await startRegistry({ REGISTRY_S3_REDIRECT_DOWNLOADS: 'true' });
    ({ token } = await signUp(r.api));
    name = uniqueName('redir');
    sent = packageTarball({ name, version: '1.0.0' }, { files: { 'data.bin': randomBytes(4096) } });
    const res = await publishTarball(r.api, token, sent);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
  after(() => r?.close());

  const url = () => `${r.api}/packages/${name}/1.0.0/tarball`;

  test('GET is a 302 to a presigned URL that serves the exact bytes, and the download is counted', async () => {
    const res = await fetch(url(), { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location')!);
    assert.notEqual(location.origin, new URL(r.url).origin, 'the store serves the bytes');
    assert.ok(location.searchParams.get('X-Amz-Signature'), 'presigned');
    const followed = await fetch(location);
    assert.equal(followed.status, 200);
    assert.equal(sha256(Buffer.from(await followed.arrayBuffer())), sha256(sent));

    await r.registry.deps.downloads.flush();
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).body.downloads, 1);
  });

  test('a range and a conditional request are answered by the registry itself', async () => {
    const ranged = await fetch(url(), { headers: { range: 'bytes=10-19' }, redirect: 'manual' });
    assert.equal(ranged.status, 206);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), sent.subarray(10, 20));
    const unchanged = await fetch(url(), { headers: { 'if-none-match': `"${sha256(sent)}"` }, redirect: 'manual' });
    assert.equal(unchanged.status, 304);
  });

  test('HEAD answers the headers itself (a presigned GET URL cannot answer a HEAD) and counts nothing', async () => {
    const before = (await call(`${r.api}/packages/${name}/1.0.0`)).body.downloads;
    const res = await fetch(url(), { method: 'HEAD', redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(sent.length));
    assert.equal(res.headers.get('etag'), `"${sha256(sent)}"`);
    assert.equal(res.headers.get('content-type'), 'application/gzip');
    await r.registry.deps.downloads.flush();
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).body.downloads, before);
  });
});
