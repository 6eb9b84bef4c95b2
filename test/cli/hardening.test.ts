/**
 * What a hostile or broken registry (or a hostile project) can make the real client do: leak a
 * token, re-post a password elsewhere, drive the terminal, spin forever, or hang. Each test runs
 * the real `synapse` executable against a scriptable registry.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fakeRegistry, json, type FakeRegistry } from './fake-registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let box: Sandbox;
let reg: FakeRegistry;
let other: FakeRegistry;

before(async () => {
  box = await sandbox();
  reg = await fakeRegistry();
  other = await fakeRegistry();
});

after(async () => {
  await reg.close();
  await other.close();
  await rm(box.root, { recursive: true, force: true });
});

beforeEach(() => {
  for (const r of [reg, other]) {
    r.seen.length = 0;
    r.routes.clear();
  }
});

const verifyRoute = () => reg.routes.set('POST /api/v1/auth/verify', (_req, res) => json(res, 200, { username: 'ci', kind: 'api_token' }));

describe('SYNAPSE_TOKEN goes only to the registry it was meant for', () => {
  test('a registry named by synapse.json does not get it, unless SYNAPSE_TOKEN_REGISTRY names it', async () => {
    verifyRoute();
    const project = await box.project('token-project', { name: 'cloned', version: '1.0.0', registry: reg.url });
    const env = { SYNAPSE_TOKEN: 'syn_secret', SYNAPSE_REGISTRY: '' };
    const withheld = await box.run(['pkg', 'whoami'], { cwd: project, env });
    assert.equal(withheld.code, 1);
    assert.match(withheld.stderr, /SYNAPSE_TOKEN is not sent to http:\/\/127\.0\.0\.1:\d+, which synapse\.json names/);
    assert.ok(
      reg.seen.every((s) => s.authorization === undefined),
      'no request carried the token',
    );

    const trusted = await box.run(['pkg', 'whoami'], { cwd: project, env: { ...env, SYNAPSE_TOKEN_REGISTRY: reg.url } });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.equal(reg.seen.at(-1)!.authorization, 'Bearer syn_secret');

    // The runner's own choice (--registry) gets it; SYNAPSE_TOKEN_REGISTRY, when set, is the only origin.
    assert.equal((await box.run(['pkg', 'whoami', '--registry', reg.url], { cwd: project, env })).code, 0);
    reg.seen.length = 0;
    const elsewhere = await box.run(['pkg', 'whoami', '--registry', reg.url], {
      cwd: project,
      env: { ...env, SYNAPSE_TOKEN_REGISTRY: other.url },
    });
    assert.equal(elsewhere.code, 1);
    assert.ok(reg.seen.every((s) => s.authorization === undefined));
  });
});

describe('redirects never carry a body or a token to another origin', () => {
  test('a 307 on login is refused: the password is not re-posted and no foreign token is stored', async () => {
    reg.routes.set('POST /api/v1/auth/login', (_req, res) => void res.writeHead(307, { location: `${other.url}/api/v1/auth/login` }).end());
    other.routes.set('POST /api/v1/auth/login', (_req, res) => json(res, 200, { token: 'attacker-session' }));
    const result = await box.run(['pkg', 'login', '-u', 'alice', '--password-stdin', '--registry', reg.url], { input: 'hunter2\n' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /redirected a POST request to http:\/\/127\.0\.0\.1:\d+; refusing to send it/);
    assert.equal(other.seen.length, 0, 'the other host saw nothing');
    const credentials = await readFile(join(box.config, 'synapse', 'credentials.json'), 'utf8').catch(() => '');
    assert.doesNotMatch(credentials, /attacker-session/);
  });

  test('a read follows a cross-origin redirect without the Authorization header', async () => {
    reg.routes.set(
      'GET /api/v1/packages/colors/versions',
      (_req, res) => void res.writeHead(302, { location: `${other.url}/mirror/colors` }).end(),
    );
    other.routes.set('GET /mirror/colors', (_req, res) =>
      json(res, 200, { name: 'colors', versions: [{ version: '1.0.0', published_at: '2024-01-01' }] }),
    );
    const result = await box.run(['pkg', 'versions', 'colors', '--registry', reg.url], { env: { SYNAPSE_TOKEN: 'syn_secret' } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1\.0\.0/);
    assert.equal(other.seen.length, 1);
    assert.equal(other.seen[0]!.authorization, undefined);
  });
});

describe('registry text cannot drive the terminal', () => {
  const hostile = 'Nice\u001b[2J\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 lib \u202eexe.txt\u009b31m';
  const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  test('info, --json and error details are printed without control or bidi characters', async () => {
    reg.routes.set('GET /api/v1/packages/evil', (_req, res) =>
      json(res, 200, {
        name: 'evil',
        description: hostile,
        license: 'MIT',
        homepage: null,
        repository: null,
        keywords: [],
        owners: ['x\u001b[31m'],
        latest: '1.0.0',
        versions: [],
        downloads: 0,
      }),
    );
    reg.routes.set('GET /api/v1/packages/gone', (_req, res) =>
      json(res, 404, { status: 404, code: 'package_not_found', detail: `gone ${hostile}` }, 'application/problem+json'),
    );
    const text = await box.run(['pkg', 'info', 'evil', '--registry', reg.url]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, unsafe);
    assert.match(text.stdout, /Nice\[2J.*click.* lib exe\.txt/);

    const asJson = await box.run(['pkg', 'info', 'evil', '--json', '--registry', reg.url]);
    assert.doesNotMatch(asJson.stdout, unsafe);
    assert.equal(JSON.parse(asJson.stdout).description, hostile, 'JSON keeps the data, escaped');

    const failed = await box.run(['pkg', 'info', 'gone', '--registry', reg.url]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /gone Nice/);
    assert.doesNotMatch(failed.stderr, unsafe);
  });
});

describe('invalid ranges and manifests: one rule, refused at once', () => {
  test('install, add and pack refuse an invalid range with the same message, without resolving', async () => {
    for (const range of ['banana', '1.x.x.x', '^^1.x.banana']) {
      const project = await box.project(`range-${range.replace(/\W/g, '_')}`, {
        name: 'app',
        version: '1.0.0',
        dependencies: { colors: range },
      });
      reg.seen.length = 0;
      for (const args of [['install'], ['add', 'other@^1.0.0'], ['pack', '--dry-run']]) {
        const result = await box.run(['pkg', ...args, '--registry', reg.url], { cwd: project });
        assert.equal(result.code, 1, `${args[0]} ${range}: ${result.stderr}`);
        assert.match(result.stderr, /synapse\.json is invalid:\n {2}dependencies\.colors: .*is not a version range/);
      }
      assert.equal(reg.seen.length, 0, 'nothing was asked of the registry');
    }
  });

  test('a manifest without a version is refused by install exactly as by pack', async () => {
    const project = await box.project('no-version', { name: 'app', dependencies: {} });
    const install = await box.run(['pkg', 'install', '--registry', reg.url], { cwd: project });
    const pack = await box.run(['pkg', 'pack', '--dry-run'], { cwd: project });
    assert.equal(install.code, 1);
    assert.equal(pack.code, 1);
    assert.match(install.stderr, /version: a version is required/);
    assert.equal(install.stderr, pack.stderr);
  });

  test('registry versions with ranges the client cannot use are skipped, and a missing name gets a suggestion', async () => {
    reg.routes.set('GET /api/v1/packages/colors', (_req, res) =>
      json(res, 200, {
        name: 'colors',
        versions: [
          { version: '1.0.0', dependencies: { ansi: 'banana' }, integrity: 'sha512-AAAA', tarball_url: `${reg.url}/t` },
          { version: 'not-semver', dependencies: {} },
        ],
      }),
    );
    reg.routes.set('GET /api/v1/search', (_req, res) => json(res, 200, { results: [{ name: 'colors' }, { name: 'unrelated-name' }] }));
    const project = await box.project('registry-ranges', { name: 'app', version: '1.0.0', dependencies: { colors: '^1.0.0' } });
    const result = await box.run(['pkg', 'install', '--registry', reg.url], { cwd: project });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /colors has no usable versions/);

    const typo = await box.project('typo', { name: 'app', version: '1.0.0', dependencies: { colrs: '^1.0.0' } });
    const missing = await box.run(['pkg', 'install', '--registry', reg.url], { cwd: typo });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no package named colrs exists \(did you mean colors\?\)/);
  });
});

describe('did you mean', () => {
  test('info and versions for a missing package suggest close names from the registry', async () => {
    reg.routes.set('GET /api/v1/search', (_req, res) => json(res, 200, { results: [{ name: 'colors' }, { name: 'far-away-name' }] }));
    const notFound = (_req: unknown, res: import('node:http').ServerResponse) =>
      json(res, 404, { status: 404, code: 'package_not_found', detail: 'No package named colrs' }, 'application/problem+json');
    reg.routes.set('GET /api/v1/packages/colrs', notFound);
    reg.routes.set('GET /api/v1/packages/colrs/versions', notFound);
    for (const args of [
      ['info', 'colrs'],
      ['versions', 'colrs'],
    ]) {
      const result = await box.run(['pkg', ...args, '--registry', reg.url]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /No package named colrs\nDid you mean colors\?/);
    }
  });
});

describe('a registry that accepts and never answers', () => {
  let silent: Server;
  let port: number;
  // Requests, not connections: undici may open a spare connection after an aborted request.
  let accepted = 0;
  const sockets = new Set<Socket>();

  before(async () => {
    silent = createServer((socket) => {
      socket.once('data', () => (accepted += 1));
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  test('reads time out with a clear message after a few attempts', async () => {
    accepted = 0;
    const started = Date.now();
    const result = await box.run(['pkg', 'versions', 'colors', '--registry', `http://127.0.0.1:${port}`, '--timeout', '200']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /did not answer within 200 ms \(3 attempts\)/);
    assert.match(result.stderr, /--timeout MS or SYNAPSE_TIMEOUT/);
    // On a loaded machine the last attempt can be cut before its bytes reach the server: at most 3.
    assert.ok(accepted >= 2 && accepted <= 3, `${accepted} requests reached the server`);
    assert.ok(Date.now() - started < 20_000);
  });

  test('a publish times out once and is never retried', async () => {
    accepted = 0;
    const project = await box.project('silent-publish', { name: 'quiet', version: '1.0.0' });
    await writeFile(join(project, 'index.syn'), 'x\n');
    const result = await box.run(['pkg', 'publish', '--registry', `http://127.0.0.1:${port}`], {
      cwd: project,
      env: { SYNAPSE_TOKEN: 'syn_x', SYNAPSE_TIMEOUT: '200' },
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /did not answer within 200 ms\n/);
    // Never a second attempt. On a loaded machine the one attempt can be cut before it reaches the server.
    assert.ok(accepted <= 1, `${accepted} publish requests reached the server`);
  });
});

describe('a registry that sends headers and then stalls', () => {
  test('the body read fails after the idle timeout instead of hanging', async () => {
    reg.routes.set('GET /api/v1/packages/colors/versions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"name":');
    });
    const result = await box.run(['pkg', 'versions', 'colors', '--registry', reg.url, '--timeout', '300']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /stalled: no data for 300 ms/);
  });
});

describe('a terminal of 0 columns', () => {
  test('a command with a spinner finishes (plain lines instead)', { skip: process.platform === 'win32' }, async () => {
    reg.routes.set('GET /api/v1/packages/slow', (_req, res) => {
      setTimeout(() => json(res, 404, { status: 404 }, 'application/problem+json'), 400);
    });
    const project = await box.project('zero-cols', { name: 'app', version: '1.0.0', dependencies: { slow: '^1.0.0' } });
    const bin = new URL('../../bin/synapse.cjs', import.meta.url).pathname;
    const command = `stty cols 0 rows 0 2>/dev/null; ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} pkg install --registry ${reg.url}`;
    const outcome = await new Promise<{ code: number | null; out: string; killed: boolean }>((resolve) => {
      const child = execFile(
        'script',
        ['-qec', command, '/dev/null'],
        { cwd: project, env: box.env, timeout: 20_000, maxBuffer: 1 << 20 },
        (error, stdout) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout, killed: child.killed }),
      );
      child.stdin?.end();
    });
    assert.equal(outcome.killed, false, 'the command finished on its own');
    assert.equal(outcome.code, 1);
    assert.match(outcome.out, /Resolving dependencies/);
    assert.match(outcome.out, /no package named slow exists/);
  });
});

describe('logout', () => {
  test('ends the server session when the registry offers it, and forgets the token either way', async () => {
    verifyRoute();
    reg.routes.set('POST /api/v1/auth/logout', (_req, res) => void res.writeHead(204).end());
    assert.equal((await box.run(['pkg', 'login', '--token', 'syn_stored', '--registry', reg.url])).code, 0);
    const out = await box.run(['pkg', 'logout', '--json', '--registry', reg.url]);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { registry: reg.url, removed: true, revoked: true });
    const call = reg.seen.find((s) => s.url === '/api/v1/auth/logout');
    assert.equal(call?.authorization, 'Bearer syn_stored');

    reg.routes.delete('POST /api/v1/auth/logout');
    assert.equal((await box.run(['pkg', 'login', '--token', 'syn_again', '--registry', reg.url])).code, 0);
    const older = await box.run(['pkg', 'logout', '--json', '--registry', reg.url]);
    assert.deepEqual(JSON.parse(older.stdout), { registry: reg.url, removed: true, revoked: false });
  });
});
