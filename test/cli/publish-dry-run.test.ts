/**
 * publish --dry-run asks the registry what it would refuse (version taken, name too close to
 * another, not an owner, dependencies it does not hold), so a dry run that passes means the
 * publish will; through the real executable against a real registry.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, publish, signUp } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;

before(async () => {
  registry = await startRegistry();
  const owner = await signUp(registry.api);
  for (const name of ['logger', 'http-client']) {
    const res = await publish(registry.api, owner.token, { name, version: '1.0.0', description: name });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  box = await sandbox();
  box.env.SYNAPSE_REGISTRY = registry.url;
  const me = await signUp(registry.api);
  assert.equal((await box.run(['pkg', 'login', '-u', me.username, '--password-stdin'], { input: `${PASSWORD}\n` })).code, 0);
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

describe('publish --dry-run', () => {
  test('lists every refusal the registry would give, and publishes nothing', async () => {
    const dir = await box.project('mine', {
      name: 'logger',
      version: '1.0.0',
      description: 'x',
      dependencies: { 'http-clinet': '^1.0.0', nothing: '^1.0.0' },
    });
    const res = await box.run(['pkg', 'publish', '--dry-run'], { cwd: dir });
    assert.equal(res.code, 1);
    assert.match(res.stderr, new RegExp(`^error: logger@1\\.0\\.0 would be refused by ${registry.url}:$`, 'm'));
    assert.match(res.stderr, /^  logger@1\.0\.0 already exists; bump the version in synapse\.json$/m);
    assert.match(res.stderr, /^  user-[\w-]+ is not an owner of logger \(owners: user-[\w-]+\)$/m);
    assert.match(res.stderr, /^  dependency http-clinet: .* holds no package by that name \(did you mean http-client\?\)$/m);
    assert.match(res.stderr, /^  dependency nothing: .* holds no package by that name$/m);
    const json = JSON.parse((await box.run(['pkg', 'publish', '--dry-run', '--json'], { cwd: dir })).stdout);
    assert.deepEqual(json.error.data.problems.map((p: { code: string }) => p.code).sort(), [
      'dependency_not_found',
      'dependency_not_found',
      'not_owner',
      'version_exists',
    ]);
  });

  test('a name too close to an existing package is refused as the registry would', async () => {
    const dir = await box.project('close', { name: 'http_client', version: '2.0.0', description: 'x' });
    const res = await box.run(['pkg', 'publish', '--dry-run'], { cwd: dir });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /"http_client" is too similar to the existing package "http-client"/);
  });

  test('a dry run that passes is followed by a publish that does; logged out, it warns', async () => {
    const dir = await box.project('fresh', { name: 'fresh-lib', version: '1.0.0', description: 'x', dependencies: { logger: '^1.0.0' } });
    const dry = await box.run(['pkg', 'publish', '--dry-run'], { cwd: dir });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: checked here and with/);
    const real = await box.run(['pkg', 'publish'], { cwd: dir });
    assert.equal(real.code, 0, real.stderr);
    const again = await box.run(['pkg', 'publish', '--dry-run'], { cwd: dir, env: { XDG_CONFIG_HOME: `${box.root}/nobody` } });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^warning: you are not logged in/m);
    assert.match(again.stderr, /fresh-lib@1\.0\.0 already exists/);
  });
});
