/**
 * Pull-through with two real registries: the mirror's REGISTRY_UPSTREAM_URL points at a proxy in
 * front of the upstream, which counts requests, corrupts tarballs on demand and can go down.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { startHttpProxy, type HttpProxy } from '../../helpers/http-proxy.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';

let upstream: TestRegistry;
let proxy: HttpProxy;
let mirror: TestRegistry;
let alice: { username: string; token: string };
let bob: { username: string; token: string };
let clock = new Date('2030-01-01T00:00:00Z');
const MAX_AGE_S = 120;

before(async () => {
  upstream = await startRegistry();
  proxy = await startHttpProxy(upstream.url);
  mirror = await startRegistry({ REGISTRY_UPSTREAM_URL: proxy.url, REGISTRY_UPSTREAM_TIMEOUT_MS: '2000' }, { now: () => clock });
  alice = await signUp(upstream.api);
  bob = await signUp(mirror.api);
});
after(async () => {
  await mirror?.close();
  await proxy?.close();
  await upstream?.close();
});

const later = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

async function publishUpstream(prefix: string, versions = ['1.0.0']): Promise<string> {
  const name = uniqueName(prefix);
  for (const version of versions) {
    const res = await publish(upstream.api, alice.token, { name, version });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  return name;
}

async function bytes(url: string): Promise<{ status: number; body: Buffer; type: string | null }> {
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

const sri = (body: Buffer) => `sha512-${createHash('sha512').update(body).digest('base64')}`;

describe('pull-through', () => {
  test('a package published upstream resolves and downloads through the mirror, byte for byte', async () => {
    const name = await publishUpstream('pull', ['1.0.0', '1.1.0']);
    const doc = await call(`${mirror.api}/packages/${name}`);
    assert.equal(doc.status, 200, JSON.stringify(doc.body));
    assert.equal(doc.headers.get('x-synapse-stale'), null, 'a fresh answer is not marked stale');
    const original = await call(`${upstream.api}/packages/${name}`);
    assert.deepEqual(
      doc.body.versions.map((v: { version: string }) => v.version),
      ['1.1.0', '1.0.0'],
    );
    for (const [i, v] of doc.body.versions.entries()) {
      assert.equal(v.integrity, original.body.versions[i].integrity, 'integrity as the upstream has it');
      assert.equal(v.tarball_url, `${mirror.api}/packages/${name}/${v.version}/tarball`, 'clients fetch through the mirror');
    }
    const list = await call(`${mirror.api}/packages/${name}/versions`);
    assert.equal(list.status, 200);
    assert.equal(list.body.latest, '1.1.0');
    const one = await call(`${mirror.api}/packages/${name}/1.0.0`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.tarball_url, `${mirror.api}/packages/${name}/1.0.0/tarball`);

    const got = await bytes(doc.body.versions[1].tarball_url);
    const want = await bytes(original.body.versions[1].tarball_url);
    assert.equal(got.status, 200);
    assert.equal(got.type, 'application/gzip');
    assert.ok(got.body.equals(want.body), 'the mirror serves the upstream tarball byte for byte');
    assert.equal(sri(got.body), doc.body.versions[1].integrity);
    // Fetched once, then kept: a second download does not reach the upstream.
    proxy.resetCounts();
    assert.equal((await bytes(doc.body.versions[1].tarball_url)).status, 200);
    assert.equal(proxy.count(`/api/v1/packages/${name}/1.0.0/tarball`), 0, 'a stored tarball is served from the mirror');
  });

  test('upstream down: cached metadata and tarballs served, marked stale; never fetched → 502; back up → fresh', async () => {
    const name = await publishUpstream('stale');
    const doc = await call(`${mirror.api}/packages/${name}`);
    assert.equal(doc.status, 200);
    assert.equal((await bytes(doc.body.versions[0].tarball_url)).status, 200);
    const never = await publishUpstream('never');

    await proxy.pause();
    try {
      // Within max age the cache answers without asking: not stale.
      const young = await call(`${mirror.api}/packages/${name}`);
      assert.equal(young.headers.get('x-synapse-stale'), null);
      later(MAX_AGE_S + 1);
      const old = await call(`${mirror.api}/packages/${name}`);
      assert.equal(old.status, 200, JSON.stringify(old.body));
      assert.equal(old.headers.get('warning'), '110 - "Response is Stale"');
      assert.equal(old.headers.get('x-synapse-stale'), 'true');
      assert.deepEqual(old.body.versions, doc.body.versions, 'the cached copy, unchanged');
      assert.equal((await bytes(doc.body.versions[0].tarball_url)).status, 200, 'a stored tarball needs no upstream');

      const missing = await call(`${mirror.api}/packages/${never}`);
      assert.equal(missing.status, 502, JSON.stringify(missing.body));
      assert.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal(missing.body.code, 'upstream_unavailable');
      assert.match(missing.body.detail, /no cached copy.*upstream registry/);
    } finally {
      await proxy.resume();
    }
    const back = await call(`${mirror.api}/packages/${name}`);
    assert.equal(back.status, 200);
    assert.equal(back.headers.get('x-synapse-stale'), null, 'fresh again once the upstream answers');
    assert.equal((await call(`${mirror.api}/packages/${never}`)).status, 200);
  });

  test('a tarball that does not match the upstream integrity is refused and not stored', async () => {
    const name = await publishUpstream('tamper');
    const doc = await call(`${mirror.api}/packages/${name}`);
    const blobsBefore = (await mirror.blobFiles()).length;
    proxy.tamper = true;
    try {
      const res = await call(doc.body.versions[0].tarball_url);
      assert.equal(res.status, 502, JSON.stringify(res.body));
      assert.equal(res.body.code, 'upstream_integrity_mismatch');
    } finally {
      proxy.tamper = false;
    }
    assert.equal((await mirror.blobFiles()).length, blobsBefore, 'nothing stored from a corrupted download');
    const good = await bytes(doc.body.versions[0].tarball_url);
    assert.equal(good.status, 200, 'fetched again, intact, once the upstream serves the right bytes');
    assert.equal(sri(good.body), doc.body.versions[0].integrity);
  });

  test('50 concurrent requests for a missing package make one upstream request', async () => {
    const name = await publishUpstream('herd');
    proxy.resetCounts();
    const docs = await Promise.all(Array.from({ length: 50 }, () => call(`${mirror.api}/packages/${name}`)));
    assert.deepEqual(new Set(docs.map((d) => d.status)), new Set([200]));
    assert.equal(proxy.count(`/api/v1/packages/${name}`), 1, 'one upstream request for the document');
    const url = docs[0]!.body.versions[0].tarball_url;
    const tarballs = await Promise.all(Array.from({ length: 50 }, () => bytes(url)));
    assert.deepEqual(new Set(tarballs.map((t) => t.status)), new Set([200]));
    assert.equal(proxy.count(`/api/v1/packages/${name}/1.0.0/tarball`), 1, 'one upstream request for the tarball');
  });

  test('local packages win; a new local name the upstream has is refused', async () => {
    const name = uniqueName('local');
    assert.equal((await publish(mirror.api, bob.token, { name, version: '2.0.0' })).status, 201);
    assert.equal((await publish(upstream.api, alice.token, { name, version: '1.0.0' })).status, 201);
    const doc = await call(`${mirror.api}/packages/${name}`);
    assert.deepEqual(
      doc.body.versions.map((v: { version: string }) => v.version),
      ['2.0.0'],
      'the local package, not the upstream one',
    );
    assert.equal((await call(`${mirror.api}/packages/${name}/1.0.0`)).status, 404, 'no mixing in upstream versions');
    assert.equal((await call(`${mirror.api}/packages/${name}/1.0.0/tarball`)).status, 404);

    const theirs = await publishUpstream('theirs');
    const refused = await publish(mirror.api, bob.token, { name: theirs, version: '9.9.9' });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'name_exists_upstream');
    assert.match(refused.body.detail, /REGISTRY_UPSTREAM_ALLOW_SHADOWING/);
  });

  test('REGISTRY_UPSTREAM_ALLOW_SHADOWING=true lets a local package take an upstream name', async () => {
    const shadowing = await startRegistry({ REGISTRY_UPSTREAM_URL: upstream.url, REGISTRY_UPSTREAM_ALLOW_SHADOWING: 'true' });
    try {
      const carol = await signUp(shadowing.api);
      const theirs = await publishUpstream('shadowed');
      const res = await publish(shadowing.api, carol.token, { name: theirs, version: '9.9.9' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const doc = await call(`${shadowing.api}/packages/${theirs}`);
      assert.equal(doc.body.latest, '9.9.9', 'the local one wins');
    } finally {
      await shadowing.close();
    }
  });
});
