/**
 * `synapse pkg audit` through the real executable: a project whose transitive dependency is affected
 * (the path is printed, with the smallest upgrade), a direct one fixed only in the next major (said so),
 * exit codes per --audit-level, --json, `audit fix` rewriting synapse.lock without the advisory, and
 * the install's one-line note.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { call, publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { signUpAdmin } from '../api/admin/admin-helpers.ts';
import { osv } from '../api/advisories/osv-fixtures.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;
let app: string;

const locked = async (dir: string, name: string) =>
  new RegExp(`^package ${name} (\\S+)$`, 'm').exec(await readFile(join(dir, 'synapse.lock'), 'utf8'))?.[1];

before(async () => {
  registry = await startRegistry();
  const owner = await signUp(registry.api);
  const put = async (manifest: Record<string, unknown>) => assert.equal((await publish(registry.api, owner.token, manifest)).status, 201);
  await put({ name: 'core', version: '1.0.0' });
  await put({ name: 'web', version: '1.0.0', dependencies: { core: '^1.0.0' } });
  await put({ name: 'old', version: '1.0.0' });
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
  app = await box.project('app', { name: 'app', version: '0.1.0', dependencies: { web: '^1.0.0', old: '^1.0.0' } });
  const installed = await box.run(['pkg', 'install'], { cwd: app });
  assert.equal(installed.code, 0, installed.stderr);
  // Fixes published after the lock was made; 1.1.0 is clean too, but 1.0.1 is the smaller step.
  await put({ name: 'core', version: '1.0.1' });
  await put({ name: 'core', version: '1.1.0' });
  await put({ name: 'old', version: '2.0.0' });
  const admin = await signUpAdmin(registry);
  const file = (body: unknown) => call(`${registry.api}/advisories`, { token: admin.token, json: body });
  assert.equal(
    (
      await file(
        osv({
          id: 'GHSA-core-0001',
          name: 'core',
          events: [{ introduced: '0' }, { fixed: '1.0.1' }],
          summary: 'Remote code execution in core',
        }),
      )
    ).status,
    201,
  );
  assert.equal(
    (
      await file(
        osv({
          id: 'GHSA-old-0002',
          name: 'old',
          events: [{ introduced: '0' }, { fixed: '2.0.0' }],
          level: 'MODERATE',
          summary: 'Old leaks memory',
        }),
      )
    ).status,
    201,
  );
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('synapse pkg audit', () => {
  test('prints each finding with its path, fixed version and the smallest upgrade; a major-only fix is said to be one', async () => {
    const res = await box.run(['pkg', 'audit'], { cwd: app });
    assert.equal(res.code, 1, `any finding fails the default level\n${res.stdout}${res.stderr}`);
    assert.match(res.stdout, /^core 1\.0\.0 {2}GHSA-core-0001 {2}critical$/m);
    assert.match(res.stdout, /^ {2}Remote code execution in core$/m);
    assert.match(res.stdout, /^ {2}path: web 1\.0\.0 → core 1\.0\.0$/m, 'the transitive path from synapse.json');
    assert.match(res.stdout, /^ {2}fixed in: 1\.0\.1$/m);
    assert.match(res.stdout, /^ {2}fix: core 1\.0\.0 → 1\.0\.1; run synapse pkg audit fix$/m, 'the smallest clean version, not the newest');
    assert.match(res.stdout, /^old 1\.0\.0 {2}GHSA-old-0002 {2}moderate$/m);
    assert.match(res.stdout, /^ {2}fix: no fix without a major bump: old is clean from 2\.0\.0, outside the ranges that bring it in$/m);
    assert.match(
      res.stdout,
      /^2 advisories in 2 packages \(1 critical, 1 moderate\); 1 package can be upgraded with synapse pkg audit fix$/m,
    );
    assert.equal(await locked(app, 'core'), '1.0.0', 'audit alone changes nothing');
  });

  test('--json carries the findings and plans; --audit-level picks which findings fail', async () => {
    const json = await box.run(['pkg', 'audit', '--json'], { cwd: app });
    const data = JSON.parse(json.stdout);
    assert.deepEqual(
      data.findings.map((f: { name: string; id: string; fixed: string }) => [f.name, f.id, f.fixed]),
      [
        ['core', 'GHSA-core-0001', '1.0.1'],
        ['old', 'GHSA-old-0002', '2.0.0'],
      ],
    );
    assert.deepEqual(data.findings[0].paths, [['web 1.0.0', 'core 1.0.0']]);
    assert.equal(data.fixes.find((f: { name: string }) => f.name === 'old').plan.reason, 'major_bump');
    assert.equal((await box.run(['pkg', 'audit', '--audit-level', 'critical'], { cwd: app })).code, 1);
    const bad = await box.run(['pkg', 'audit', '--audit-level', 'severe'], { cwd: app });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--audit-level takes low, moderate, high or critical, not "severe"/);
  });

  test('audit fix rewrites synapse.lock and installs without the advisory; what cannot be fixed remains and is gated by level', async () => {
    const fix = await box.run(['pkg', 'audit', 'fix'], { cwd: app });
    assert.equal(fix.code, 1, `the moderate advisory remains\n${fix.stdout}${fix.stderr}`);
    assert.match(fix.stdout, /^~ core 1\.0\.0 → 1\.0\.1$/m);
    assert.equal(await locked(app, 'core'), '1.0.1');
    assert.equal(await locked(app, 'old'), '1.0.0');
    const installed = JSON.parse(await readFile(join(app, 'synapse_modules', 'core', 'synapse.json'), 'utf8'));
    assert.equal(installed.version, '1.0.1', 'the fix is installed, not only locked');
    assert.equal((await box.run(['pkg', 'audit', '--audit-level', 'high'], { cwd: app })).code, 0, 'only a moderate advisory is left');
    assert.equal((await box.run(['pkg', 'audit', '--audit-level', 'moderate'], { cwd: app })).code, 1);
  });

  test('install says in one line that something it installed has an advisory', async () => {
    const dir = await box.project('other', { name: 'other', version: '0.1.0', dependencies: { old: '^1.0.0' } });
    const res = await box.run(['pkg', 'install'], { cwd: dir });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^1 installed package has known advisories \(1 moderate\); run synapse pkg audit for details$/m);
  });
});
