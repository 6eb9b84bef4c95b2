/**
 * What people read, through the real executable: info as npm view and cargo info show it, token
 * list as a table, update and install summaries (already up to date, from the cache vs
 * downloaded), human sizes and plurals.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let username: string;
let now = new Date('2026-06-01T12:00:00Z');

async function pub(token: string, manifest: Record<string, unknown>) {
  now = new Date(now.getTime() + 86_400_000);
  const res = await publish(registry.api, token, manifest);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

before(async () => {
  registry = await startRegistry({}, { now: () => now });
  const session = await signUp(registry.api);
  username = session.username;
  await pub(session.token, { name: 'log', version: '1.0.0', description: 'Logging' });
  await pub(session.token, {
    name: 'http-client',
    version: '1.0.0',
    description: 'An HTTP client',
    license: 'MIT',
    homepage: 'https://example.com/http-client',
    repository: 'https://github.com/example/http-client',
    keywords: ['http', 'client'],
  });
  await pub(session.token, {
    name: 'http-client',
    version: '1.1.0',
    description: 'An HTTP client',
    license: 'MIT',
    homepage: 'https://example.com/http-client',
    dependencies: { log: '^1.0.0' },
  });
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('info', () => {
  test('shows description, latest and dist-tags, versions with dates, dependencies, license, links, owners, downloads and the add line', async () => {
    const res = await box.run(['pkg', 'info', 'http-client']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(
      res.stdout,
      [
        'http-client@1.1.0 — An HTTP client',
        'license MIT · 2 versions · 0 downloads',
        'homepage   https://example.com/http-client',
        '',
        'dist-tags: latest 1.1.0',
        'versions:',
        '  1.1.0  2026-06-04',
        '  1.0.0  2026-06-03',
        'dependencies of 1.1.0:',
        '  log  ^1.0.0',
        `owners: ${username}`,
        '',
        'Add it: synapse pkg add http-client',
        '',
      ].join('\n'),
    );
    const one = await box.run(['pkg', 'info', 'log@1.0.0']);
    assert.match(one.stdout, /^published 2026-06-02T12:00:00\.000Z · \d+ B · 0 downloads$/m);
    assert.match(one.stdout, /^dependencies: none$/m);
    assert.match(one.stdout, /^Add it: synapse pkg add log@\^1\.0\.0$/m);
  });
});

describe('summaries', () => {
  test('install counts downloads and the cache apart; update with nothing to change is already up to date', async () => {
    const first = await box.project('first', { name: 'first', version: '1.0.0', dependencies: { 'http-client': '^1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: first });
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      /^2 packages in synapse_modules: 2 added, 0 updated, 0 removed; 2 downloaded \(\d+(\.\d)? k?B\); synapse\.lock updated/m,
    );
    const second = await box.project('second', { name: 'second', version: '1.0.0', dependencies: { log: '^1.0.0' } });
    const cached = await box.run(['pkg', 'install'], { cwd: second });
    assert.match(cached.stdout, /^1 package in synapse_modules: 1 added, 0 updated, 0 removed; 1 from the cache; synapse\.lock updated/m);
    const update = await box.run(['pkg', 'update'], { cwd: first });
    assert.equal(update.code, 0, update.stderr);
    assert.match(update.stdout, /^Already up to date: 2 packages, nothing to do/);
  });

  test('pack sizes in B and kB, with plurals that agree', async () => {
    const dir = await box.project('sized', { name: 'sized', version: '1.0.0', description: 'x' });
    const res = await box.run(['pkg', 'pack', '--dry-run'], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^1 file, \d+ B packed, \d+ B unpacked$/m);
  });
});

describe('token list', () => {
  test('an aligned table with a header', async () => {
    assert.equal((await box.run(['pkg', 'login', '-u', username, '--password-stdin'], { input: `${PASSWORD}\n` })).code, 0);
    assert.equal((await box.run(['pkg', 'token', 'create', 'ci', '--scope', 'publish', '--package', 'log'])).code, 0);
    assert.equal(
      (await box.run(['pkg', 'token', 'create', 'release-bot', '--scope', 'publish', 'yank', '--expires-in-days', '30'])).code,
      0,
    );
    const res = await box.run(['pkg', 'token', 'list']);
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+Name\s+Scopes\s+Packages\s+Last used\s+Expires$/);
    const column = (header: string) => lines[0]!.indexOf(header);
    for (const line of lines.slice(1))
      assert.equal(line.indexOf(line.includes('release-bot') ? 'publish,yank' : 'publish'), column('Scopes'), line);
    assert.match(res.stdout, /release-bot\s+publish,yank\s+all\s+never\s+2026-07-/);
    assert.ok(lines.every((l) => l === l.trimEnd()));
  });
});
