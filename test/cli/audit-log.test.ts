/** `synapse pkg audit-log NAME` through the real executable against a real registry. */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { call, PASSWORD, publish, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let owner: { username: string; token: string };
let name: string;

before(async () => {
  registry = await startRegistry();
  owner = await signUp(registry.api);
  name = uniqueName('logged');
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
    assert.equal((await publish(registry.api, owner.token, { name, version })).status, 201);
  }
  assert.equal((await call(`${registry.api}/packages/${name}/1.0.0`, { method: 'DELETE', token: owner.token })).status, 204);
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('synapse pkg audit-log', () => {
  test('--help describes the command and its options', async () => {
    const res = await box.run(['pkg', 'audit-log', '--help']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Usage: synapse pkg audit-log \[options\] <name>/);
    assert.match(res.stdout, /audit log, newest first/);
    assert.match(res.stdout, /--page <n>/);
    assert.match(res.stdout, /--per-page <n>/);
  });

  test('not logged in: a clear error before any request', async () => {
    const res = await box.run(['pkg', 'audit-log', name]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /not logged in/);
  });

  test('an owner sees the entries newest first, one line each; --json gives the page; paging options pass through', async () => {
    const login = await box.run(['pkg', 'login', '--username', owner.username, '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.equal(login.code, 0, login.stderr);

    const res = await box.run(['pkg', 'audit-log', name]);
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trim().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, new RegExp(`^\\S+Z  delete 1\\.0\\.0\\s+${owner.username}  from 127\\.0\\.0\\.1$`));
    assert.match(lines[1]!, /publish 1\.2\.0/);
    assert.match(lines[3]!, /publish 1\.0\.0/);
    assert.equal(lines[4], '1–4 of 4, newest first');

    const json = await box.run(['pkg', 'audit-log', name, '--json', '--per-page', '2', '--page', '2']);
    assert.equal(json.code, 0, json.stderr);
    const page = JSON.parse(json.stdout);
    assert.deepEqual([page.total, page.page, page.per_page], [4, 2, 2]);
    assert.deepEqual(
      page.results.map((e: { version: string }) => e.version),
      ['1.1.0', '1.0.0'],
    );

    const past = await box.run(['pkg', 'audit-log', name, '--page', '9']);
    assert.equal(past.code, 0, past.stderr);
    assert.equal(past.stdout.trim(), 'No entries on page 9');
  });

  test("refusals: not an owner, unknown package, a bad option; the registry's detail is shown", async () => {
    const stranger = await signUp(registry.api);
    const asStranger = await box.run(['pkg', 'audit-log', name], { env: { SYNAPSE_TOKEN: stranger.token } });
    assert.equal(asStranger.code, 1);
    assert.match(asStranger.stderr, /not an owner of .* cannot read its audit log/);
    const unknown = await box.run(['pkg', 'audit-log', uniqueName('ghost')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No package named/);
    const bad = await box.run(['pkg', 'audit-log', name, '--per-page', 'many']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--per-page takes a positive whole number/);
    const tooMany = await box.run(['pkg', 'audit-log', name, '--per-page', '500']);
    assert.equal(tooMany.code, 1);
    assert.match(tooMany.stderr, /per_page must be a whole number from 1 to 100/);
  });
});
