/** POST /packages: the happy paths, body forms, what a publish makes visible, and validation 400s. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, publishTarball, signUp, uniqueName } from '../../helpers/client.ts';
import { buildTar, gzip, packageTarball } from '../../fixtures/tarballs.ts';
import { assertNothingLeft, assertProblem, sha256Hex, sha512Integrity, storeState } from './publish-state.ts';

let r: TestRegistry;
let owner: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
});
after(() => r.close());

/** A package name valid for the registry: uniqueName() plus a suffix-free lowercase form. */
const pkgName = (prefix: string) => uniqueName(prefix);

function multipart(field: string, tgz: Buffer): FormData {
  const form = new FormData();
  form.append('note', 'ignored');
  form.append(field, new Blob([new Uint8Array(tgz)], { type: 'application/gzip' }), 'package.tgz');
  return form;
}

const postForm = (form: FormData, token = owner.token) => call(`${r.api}/packages`, { method: 'POST', token, body: form });

/** Publishes a tarball that must be refused with 400 and leave nothing behind; returns the problem. */
async function refused(tgz: Buffer, code: string | undefined, name?: string) {
  const before = await storeState(r);
  const res = await publishTarball(r.api, owner.token, tgz);
  const problem = assertProblem(res, 400, code);
  await assertNothingLeft(r, before, name === undefined ? undefined : { name });
  return problem;
}

describe('POST /packages: success', () => {
  test('201 with the checksum and integrity of the bytes sent, then visible everywhere', async () => {
    const name = pkgName('hello');
    const tgz = packageTarball({ name, version: '1.0.0', description: 'Greets the zorblax world', keywords: ['greeting'] });
    const started = Date.now();
    const res = await publishTarball(r.api, owner.token, tgz);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(Object.keys(res.body).sort(), ['checksum', 'integrity', 'name', 'published_at', 'size', 'version']);
    assert.equal(res.body.name, name);
    assert.equal(res.body.version, '1.0.0');
    assert.equal(res.body.checksum, sha256Hex(tgz));
    assert.equal(res.body.integrity, sha512Integrity(tgz));
    assert.equal(res.body.size, tgz.length);
    const publishedAt = Date.parse(res.body.published_at);
    assert.ok(publishedAt >= started - 1000 && publishedAt <= Date.now() + 1000, res.body.published_at);

    const pkg = await call(`${r.api}/packages/${name}`);
    assert.equal(pkg.status, 200);
    assert.equal(pkg.body.latest, '1.0.0');
    assert.deepEqual(pkg.body.owners, [owner.username]);
    assert.equal(pkg.body.description, 'Greets the zorblax world');

    const version = await call(`${r.api}/packages/${name}/1.0.0`);
    assert.equal(version.status, 200);
    assert.equal(version.body.checksum, res.body.checksum);
    assert.equal(version.body.integrity, res.body.integrity);

    const download = await fetch(`${r.api}/packages/${name}/1.0.0/tarball`);
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(tgz), 'the download is byte-identical');

    const search = await call(`${r.api}/search?q=zorblax`);
    assert.equal(search.status, 200);
    assert.deepEqual(
      search.body.results.map((p: { name: string }) => p.name),
      [name],
    );
    const byName = await call(`${r.api}/search?q=${encodeURIComponent(name)}`);
    assert.ok(byName.body.results.some((p: { name: string; latest: string }) => p.name === name && p.latest === '1.0.0'));
  });

  test('application/octet-stream is accepted like application/gzip', async () => {
    const name = pkgName('octet');
    const tgz = packageTarball({ name, version: '0.1.0' });
    const res = await publishTarball(r.api, owner.token, tgz, 'application/octet-stream');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.checksum, sha256Hex(tgz));
  });

  test('multipart/form-data with the file in field "tarball"', async () => {
    const name = pkgName('form');
    const tgz = packageTarball({ name, version: '2.0.0' });
    const res = await postForm(multipart('tarball', tgz));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.name, name);
    assert.equal(res.body.checksum, sha256Hex(tgz));
    assert.equal(res.body.integrity, sha512Integrity(tgz));
    assert.equal(res.body.size, tgz.length);
    const download = await fetch(`${r.api}/packages/${name}/2.0.0/tarball`);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(tgz));
  });

  test('the manifest may sit at the archive root', async () => {
    const name = pkgName('root');
    const res = await publishTarball(r.api, owner.token, packageTarball({ name, version: '1.0.0' }, { prefix: '' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.name, name);
  });

  test('the manifest may sit under package/ or another single top folder', async () => {
    const name = pkgName('nested');
    const res = await publishTarball(r.api, owner.token, packageTarball({ name, version: '1.0.0' }, { prefix: 'package/' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const other = await publishTarball(r.api, owner.token, packageTarball({ name, version: '1.0.1' }, { prefix: `${name}-1.0.1/` }));
    assert.equal(other.status, 201, JSON.stringify(other.body));
  });

  test('a dependency on a package the registry holds is accepted, under any spelling of its name', async () => {
    const dep = pkgName('dep-base');
    assert.equal((await publish(r.api, owner.token, { name: dep, version: '1.0.0' })).status, 201);
    const name = pkgName('uses-dep');
    const res = await publish(r.api, owner.token, { name, version: '1.0.0', dependencies: { [dep]: '^1.0.0' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const version = await call(`${r.api}/packages/${name}/1.0.0`);
    assert.deepEqual(version.body.dependencies, { [dep]: '^1.0.0' });
  });
});

describe('POST /packages: body forms that carry no tarball', () => {
  test('multipart with the file in another field is a 400 that names the field', async () => {
    const name = pkgName('wrongfield');
    const before = await storeState(r);
    const res = await postForm(multipart('file', packageTarball({ name, version: '1.0.0' })));
    const problem = assertProblem(res, 400, 'tarball_missing');
    assert.match(problem.detail, /"tarball"/);
    await assertNothingLeft(r, before, { name });
  });

  test('multipart without any file is a 400', async () => {
    const before = await storeState(r);
    const form = new FormData();
    form.append('name', 'x');
    const res = await postForm(form);
    const problem = assertProblem(res, 400, 'tarball_missing');
    assert.match(problem.detail, /"tarball"/);
    await assertNothingLeft(r, before);
  });

  test('no body at all is a 4xx saying how to send the tarball', async () => {
    const before = await storeState(r);
    const res = await call(`${r.api}/packages`, { method: 'POST', token: owner.token });
    assert.ok(res.status === 415 || res.status === 400, `status ${res.status}`);
    const problem = assertProblem(res, res.status);
    assert.match(problem.detail, /application\/gzip/);
    assert.match(problem.detail, /multipart\/form-data/);
    await assertNothingLeft(r, before);
  });

  test('a text/plain body is a 4xx saying how to send the tarball', async () => {
    const before = await storeState(r);
    const res = await call(`${r.api}/packages`, {
      method: 'POST',
      token: owner.token,
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    assert.ok(res.status === 415 || res.status === 400, `status ${res.status}`);
    const problem = assertProblem(res, res.status);
    assert.match(problem.detail, /application\/gzip/);
    await assertNothingLeft(r, before);
  });

  test('a JSON body is a 4xx saying how to send the tarball', async () => {
    const before = await storeState(r);
    const res = await call(`${r.api}/packages`, { method: 'POST', token: owner.token, json: { name: 'x', version: '1.0.0' } });
    assert.ok(res.status === 415 || res.status === 400, `status ${res.status}`);
    const problem = assertProblem(res, res.status);
    assert.match(problem.detail, /application\/gzip/);
    await assertNothingLeft(r, before);
  });
});

describe('POST /packages: invalid manifests are 400 with the field named', () => {
  const badNames: Array<[string, string]> = [
    ['uppercase', 'Hello-World'],
    ['a space', 'hello world'],
    ['a leading hyphen', '-hello'],
    ['215 characters', 'a'.repeat(215)],
    ['reserved con', 'con'],
    ['reserved nul', 'nul'],
    ['reserved synapse_modules', 'synapse_modules'],
  ];
  for (const [why, name] of badNames) {
    test(`name with ${why}`, async () => {
      const problem = await refused(packageTarball({ name, version: '1.0.0' }), 'validation_failed');
      assert.ok(
        problem.errors.some((e: { field: string }) => e.field === 'name'),
        JSON.stringify(problem.errors),
      );
      // An invalid name can still be a path segment: it must not exist afterwards.
      if (name.length < 215 && !name.includes(' ')) assert.equal((await call(`${r.api}/packages/${name}`)).status, 404);
    });
  }

  test('a 214-character name is accepted', async () => {
    const name = `${pkgName('long')}-${'a'.repeat(214)}`.slice(0, 214);
    const res = await publish(r.api, owner.token, { name, version: '1.0.0' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  for (const version of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-', ' 1.0.0', '1.0.0+']) {
    test(`version ${JSON.stringify(version)}`, async () => {
      const name = pkgName('badver');
      const problem = await refused(packageTarball({ name, version }), 'validation_failed', name);
      assert.ok(
        problem.errors.some((e: { field: string }) => e.field === 'version'),
        JSON.stringify(problem.errors),
      );
    });
  }

  test('build metadata does not make a new version: 1.0.0+build.1 is 1.0.0, then 1.0.0+build.2 is 409', async () => {
    const name = pkgName('build');
    const first = await publish(r.api, owner.token, { name, version: '1.0.0+build.1' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.version, '1.0.0');
    assert.equal((await call(`${r.api}/packages/${name}/1.0.0`)).status, 200);
    const before = await storeState(r);
    const second = await publish(r.api, owner.token, { name, version: '1.0.0+build.2' });
    assertProblem(second, 409, 'version_exists');
    await assertNothingLeft(r, before);
    const versions = await call(`${r.api}/packages/${name}/versions`);
    assert.deepEqual(
      versions.body.versions.map((v: { version: string }) => v.version),
      ['1.0.0'],
    );
  });

  test('a bad dependency range', async () => {
    const dep = pkgName('range-target');
    assert.equal((await publish(r.api, owner.token, { name: dep, version: '1.0.0' })).status, 201);
    const name = pkgName('badrange');
    const problem = await refused(
      packageTarball({ name, version: '1.0.0', dependencies: { [dep]: 'not a range!' } }),
      'validation_failed',
      name,
    );
    assert.ok(
      problem.errors.some((e: { field: string }) => e.field.startsWith('dependencies')),
      JSON.stringify(problem.errors),
    );
  });

  test('a dependency on a package this registry does not hold names it', async () => {
    const name = pkgName('missingdep');
    const ghost = pkgName('ghost');
    const problem = await refused(
      packageTarball({ name, version: '1.0.0', dependencies: { [ghost]: '^1.0.0' } }),
      'dependency_not_found',
      name,
    );
    assert.ok(problem.detail.includes(ghost), problem.detail);
  });

  test('a description over 1,000 characters (1,000 is fine)', async () => {
    const name = pkgName('longdesc');
    const problem = await refused(packageTarball({ name, version: '1.0.0', description: 'd'.repeat(1001) }), 'validation_failed', name);
    assert.ok(
      problem.errors.some((e: { field: string }) => e.field === 'description'),
      JSON.stringify(problem.errors),
    );
    const ok = await publish(r.api, owner.token, { name, version: '1.0.0', description: 'd'.repeat(1000) });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test('21 keywords (20 is fine)', async () => {
    const name = pkgName('keywords');
    const keywords = Array.from({ length: 21 }, (_, i) => `kw${i}`);
    const problem = await refused(packageTarball({ name, version: '1.0.0', keywords }), 'validation_failed', name);
    assert.ok(
      problem.errors.some((e: { field: string }) => e.field === 'keywords'),
      JSON.stringify(problem.errors),
    );
    const ok = await publish(r.api, owner.token, { name, version: '1.0.0', keywords: keywords.slice(0, 20) });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });
});

describe('POST /packages: archives without a usable synapse.json', () => {
  test('no synapse.json', async () => {
    const tgz = gzip(buildTar([{ path: 'package/README.md', content: '# hi\n' }]));
    const problem = await refused(tgz, 'manifest_missing');
    assert.match(problem.detail, /synapse\.json/);
  });

  test('synapse.json twice at the same path', async () => {
    const name = pkgName('twomanifests');
    const manifest = JSON.stringify({ name, version: '1.0.0' });
    const tgz = gzip(
      buildTar([
        { path: 'package/synapse.json', content: manifest },
        { path: 'package/synapse.json', content: manifest },
      ]),
    );
    await refused(tgz, 'manifest_duplicate', name);
  });

  test('package/synapse.json followed by a second synapse.json at the root', async () => {
    const name = pkgName('rootandtop');
    const manifest = JSON.stringify({ name, version: '1.0.0' });
    const tgz = gzip(
      buildTar([
        { path: 'package/synapse.json', content: manifest },
        { path: 'synapse.json', content: manifest },
      ]),
    );
    await refused(tgz, 'tarball_outside_root', name);
  });

  test('a synapse.json in a subfolder is just a file, not a second manifest', async () => {
    const name = pkgName('nestedmanifest');
    const tgz = packageTarball({ name, version: '1.0.0' }, { files: { 'examples/demo/synapse.json': '{"name": "demo"}' } });
    const res = await publishTarball(r.api, owner.token, tgz);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  test('synapse.json that is not valid JSON', async () => {
    const tgz = gzip(buildTar([{ path: 'package/synapse.json', content: '{"name": "x", version: 1.0.0' }]));
    const problem = await refused(tgz, 'manifest_invalid_json');
    assert.match(problem.detail, /synapse\.json/);
  });

  test('a body that is not gzip', async () => {
    await refused(buildTar([{ path: 'package/synapse.json', content: '{}' }]), 'tarball_not_gzip');
    await refused(Buffer.from('definitely not a tarball'), 'tarball_not_gzip');
  });

  test('a gzip that is not a tar', async () => {
    await refused(gzip(Buffer.from('just some text, compressed '.repeat(100))), 'tarball_not_tar');
  });
});
