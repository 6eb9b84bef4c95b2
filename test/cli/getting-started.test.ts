/**
 * A new user's first minutes through the real executable: --version, register (the password
 * policy checked before sending, hidden prompts on a terminal), the login hint for a wrong
 * password, Ctrl-C at a prompt, and install NAME doing what add NAME does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, publish, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, withoutCursorMoves, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;

before(async () => {
  registry = await startRegistry();
  const { token } = await signUp(registry.api);
  const res = await publish(registry.api, token, { name: 'log', version: '1.0.0', description: 'log package' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('getting started', () => {
  test('synapse --version and synapse pkg --version; init --version still sets the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const args of [['--version'], ['-V'], ['pkg', '--version']]) {
      const res = await box.run(args);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, `synapse ${pkg.version}\n`);
    }
    // The executable's former path still runs the same client.
    const former = await promisify(execFile)(process.execPath, [new URL('../../bin/synapse.mjs', import.meta.url).pathname, '--version'], {
      env: box.env,
    });
    assert.equal(former.stdout, `synapse ${pkg.version}\n`);
    const dir = await box.project('versioned');
    const init = await box.run(['pkg', 'init', '--version', '2.0.0'], { cwd: dir });
    assert.equal(init.code, 0, init.stderr);
    assert.equal(JSON.parse(await readFile(join(dir, 'synapse.json'), 'utf8')).version, '2.0.0');
  });

  test('register with --password-stdin: the policy refuses before sending; then the account is created and logged in', async () => {
    const username = uniqueName('new');
    const weak = await box.run(['pkg', 'register', '-u', username, '--email', `${username}@example.com`, '--password-stdin'], {
      input: 'short\n',
    });
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /^error: Use at least 10 characters \(this one has 5\)$/m);
    const login = await box.run(['pkg', 'login', '-u', username, '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.equal(login.code, 1, 'the weak attempt created no account');

    const res = await box.run(['pkg', 'register', '-u', username, '--email', `${username}@example.com`, '--password-stdin'], {
      input: `${PASSWORD}\n`,
    });
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      new RegExp(`^Created the account ${username} on ${registry.url}\nLogged in to ${registry.url} as ${username}`),
    );
    const me = await box.run(['pkg', 'whoami']);
    assert.equal(me.stdout.trim(), username);
  });

  test('register on a terminal asks twice with the password hidden, and says why a password is refused', async () => {
    const username = uniqueName('tty');
    const res = await box.runInTerminal(['pkg', 'register'], {
      answers: [
        { after: /Username: $/, send: `${username}\r` },
        { after: /Email: $/, send: `${username}@example.com\r` },
        { after: /Password: $/, send: `${username}-secret\r` },
        { after: /Password: $/, send: `${PASSWORD}\r` },
        { after: /Password again: $/, send: `${PASSWORD}\r` },
      ],
    });
    assert.equal(res.code, 0, res.stdout);
    assert.match(res.stdout, /The password must not contain your username/);
    assert.match(res.stdout, new RegExp(`Logged in to ${registry.url} as ${username}`));
    assert.doesNotMatch(res.stdout, new RegExp(PASSWORD), 'the password is never echoed');
  });

  test('a wrong password gets a hint about the password, not about SYNAPSE_TOKEN', async () => {
    const { username } = await signUp(registry.api);
    const res = await box.run(['pkg', 'login', '-u', username, '--password-stdin'], { input: 'wrong-password-123\n' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Check the username and the password/);
    assert.doesNotMatch(res.stderr, /SYNAPSE_TOKEN/);
  });

  test('Ctrl-C at a prompt exits 130 after a newline, with no error line', async () => {
    const res = await box.runInTerminal(['pkg', 'login'], { answers: [{ after: /Username: $/, send: '\x03' }] });
    assert.equal(res.code, 130);
    assert.match(withoutCursorMoves(res.stdout), /Username: \r?\n$/);
    assert.doesNotMatch(res.stdout, /error/);
  });

  test('install NAME adds NAME, as add does', async () => {
    const dir = await box.project('app', { name: 'app', version: '1.0.0', dependencies: {} });
    const res = await box.run(['pkg', 'install', 'log'], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /\+ log 1\.0\.0/);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'synapse.json'), 'utf8')).dependencies, { log: '^1.0.0' });
  });
});
