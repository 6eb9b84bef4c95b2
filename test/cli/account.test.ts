/**
 * Accounts, tokens, discovery, init, pack and publish through the real executable against a
 * real registry; and the registry URL precedence and exit codes.
 */
import assert from 'node:assert/strict';
import { chmod, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { call, PASSWORD, publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { readArchive } from '../../packages/core/src/tarball/index.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let username: string;

before(async () => {
  registry = await startRegistry();
  ({ username } = await signUp(registry.api));
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('accounts and tokens', () => {
  test('login keeps the token per registry in a 0600 file; whoami and logout use it', async () => {
    const wrong = await box.run(['pkg', 'login', '--username', username, '--password-stdin'], { input: 'not-the-password\n' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /synapse pkg login/);

    const res = await box.run(['pkg', 'login', '--username', username, '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`Logged in to ${registry.url} as ${username}`));
    const file = join(box.config, 'synapse', 'credentials.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(stored.registries[registry.url].username, username);

    const me = await box.run(['pkg', 'whoami']);
    assert.equal(me.stdout.trim(), username);
    // The credential belongs to this registry only.
    const elsewhere = await box.run(['pkg', 'whoami', '--registry', 'http://127.0.0.1:9']);
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.stderr, /not logged in to http:\/\/127\.0\.0\.1:9/);
  });

  test('token create, list and revoke; SYNAPSE_TOKEN authenticates in CI', async () => {
    const created = await box.run(['pkg', 'token', 'create', 'ci', '--scope', 'publish', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const token = JSON.parse(created.stdout);
    assert.match(token.token, /^syn_/);

    const listed = await box.run(['pkg', 'token', 'list']);
    assert.match(listed.stdout, /ci\s+publish/);
    assert.doesNotMatch(listed.stdout, /syn_/);

    const ci = await box.run(['pkg', 'whoami'], { env: { SYNAPSE_TOKEN: token.token, XDG_CONFIG_HOME: join(box.root, 'empty') } });
    assert.equal(ci.code, 0, ci.stderr);
    assert.match(ci.stdout, new RegExp(`${username} \\(from SYNAPSE_TOKEN\\)`));

    const revoked = await box.run(['pkg', 'token', 'revoke', String(token.id)]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const after = await box.run(['pkg', 'whoami'], { env: { SYNAPSE_TOKEN: token.token } });
    assert.equal(after.code, 1);
  });
});

describe('packages', () => {
  let pkgDir: string;

  test('init, pack and publish --dry-run check locally; publish uploads', async () => {
    pkgDir = await box.project('greeter');
    const init = await box.run(['pkg', 'init', '--description', 'Says hello'], { cwd: pkgDir });
    assert.equal(init.code, 0, init.stderr);
    const manifest = JSON.parse(await readFile(join(pkgDir, 'synapse.json'), 'utf8'));
    assert.deepEqual([manifest.name, manifest.version], ['greeter', '0.1.0']);
    assert.equal((await box.run(['pkg', 'init'], { cwd: pkgDir })).code, 1);

    await mkdir(join(pkgDir, 'src'));
    await writeFile(join(pkgDir, 'src', 'main.syn'), 'fn main() {}\n');
    await writeFile(join(pkgDir, '.env'), 'SECRET=1\n');
    // A setuid, world-writable file locally: packed as a plain executable, which the registry accepts.
    await chmod(join(pkgDir, 'src', 'main.syn'), 0o4777);
    const packed = await box.run(['pkg', 'pack', '--json'], { cwd: pkgDir });
    assert.equal(packed.code, 0, packed.stderr);
    const listing = JSON.parse(packed.stdout);
    assert.deepEqual(
      listing.files.map((f: { path: string }) => f.path),
      ['src/main.syn', 'synapse.json'],
    );
    const tgz = await readFile(join(pkgDir, 'greeter-0.1.0.tgz'));
    assert.equal(tgz.length, listing.size);
    const archive = await readArchive(Readable.from([tgz]), { keepData: true });
    assert.deepEqual(
      archive.entries.map((e) => [e.path, e.mode]),
      [
        ['synapse.json', 0o644],
        ['src/main.syn', 0o755],
      ],
    );

    const dry = await box.run(['pkg', 'publish', '--dry-run'], { cwd: pkgDir });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run/);
    assert.equal((await call(`${registry.api}/packages/greeter`)).status, 404);

    const published = await box.run(['pkg', 'publish'], { cwd: pkgDir });
    assert.equal(published.code, 0, published.stderr);
    const version = await call(`${registry.api}/packages/greeter/0.1.0`);
    assert.equal(version.status, 200);
    // The uploaded bytes are exactly what pack built.
    assert.equal(version.body.integrity, listing.integrity);

    const again = await box.run(['pkg', 'publish'], { cwd: pkgDir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /0\.1\.0/);
  });

  test('publish refuses an invalid manifest before uploading', async () => {
    const bad = await box.project('bad', { name: 'Bad Name', version: 'one' });
    const res = await box.run(['pkg', 'publish'], { cwd: bad });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /name: /);
    assert.match(res.stderr, /version: /);
  });

  test('search, info and versions', async () => {
    const { token } = await signUp(registry.api);
    for (const v of ['1.0.0', '1.1.0'])
      assert.equal(
        (await publish(registry.api, token, { name: 'colors', version: v, description: 'Terminal colors', keywords: ['ansi'] })).status,
        201,
      );

    const found = await box.run(['pkg', 'search', 'terminal', 'colors']);
    assert.equal(found.code, 0, found.stderr);
    assert.match(found.stdout, /colors@1\.1\.0\s+Terminal colors/);
    const json = JSON.parse((await box.run(['pkg', 'search', 'ansi', '--json'])).stdout);
    assert.deepEqual(
      json.results.map((r: { name: string }) => r.name),
      ['colors'],
    );

    const info = await box.run(['pkg', 'info', 'colors']);
    assert.match(info.stdout, /colors@1\.1\.0 — Terminal colors/);
    assert.match(info.stdout, /2 versions/);
    const one = await box.run(['pkg', 'info', 'colors@1.0.0']);
    assert.match(one.stdout, /integrity sha512-/);

    const versions = await box.run(['pkg', 'versions', 'colors']);
    assert.deepEqual(
      versions.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
      ['1.1.0', '1.0.0'],
    );

    const missing = await box.run(['pkg', 'info', 'no-such-package']);
    assert.equal(missing.code, 1);
  });
});

describe('registry URL and exit codes', () => {
  test('--registry beats SYNAPSE_REGISTRY, which beats synapse.json, which beats the user config', async () => {
    const dead = 'http://127.0.0.1:9';
    const project = await box.project('precedence', { name: 'p', version: '1.0.0', registry: dead });
    // synapse.json's dead registry loses to SYNAPSE_REGISTRY (set in the sandbox env).
    assert.equal((await box.run(['pkg', 'versions', 'colors'], { cwd: project })).code, 0);
    // Without SYNAPSE_REGISTRY, synapse.json wins over the user config.
    const userConfig = join(box.root, 'user-config');
    await mkdir(join(userConfig, 'synapse'), { recursive: true });
    await writeFile(join(userConfig, 'synapse', 'config.json'), JSON.stringify({ registry: registry.url }));
    const env = { SYNAPSE_REGISTRY: '', XDG_CONFIG_HOME: userConfig };
    const fromProject = await box.run(['pkg', 'versions', 'colors'], { cwd: project, env });
    assert.equal(fromProject.code, 2);
    assert.match(fromProject.stderr, /Could not reach the registry at http:\/\/127\.0\.0\.1:9/);
    assert.match(fromProject.stderr, /from synapse\.json/);
    // Outside the project, the user config applies; --registry beats them all.
    assert.equal((await box.run(['pkg', 'versions', 'colors'], { env })).code, 0);
    assert.equal((await box.run(['pkg', 'versions', 'colors', '--registry', registry.url], { cwd: project, env })).code, 0);
  });

  test('a usage error exits 1 and --help exits 0', async () => {
    assert.equal((await box.run(['pkg', 'add'])).code, 1);
    const help = await box.run(['pkg', 'install', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--frozen-lockfile/);
  });
});
