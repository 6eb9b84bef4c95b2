/**
 * Secret scanning at publish: a tarball holding a live token is refused and the token revoked at
 * once (401 afterwards), with audit entries; look-alikes publish; another kind of credential is
 * refused unless the publisher says it is not a secret. The scan runs on the registry's worker thread
 * (the default on more than two cores), also when started by bin/registry.mjs from the bundle or the sources.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnRegistry } from '../../helpers/spawn-registry.ts';
import { testBackend } from '../../helpers/backends.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publishTarball, signUp, uniqueName } from '../../helpers/client.ts';
import { packageTarball } from '../../fixtures/tarballs.ts';
import { apiToken, assertProblem, auditRows } from '../admin/admin-helpers.ts';

let r: TestRegistry;
let owner: { username: string; token: string };

before(async () => {
  r = await startRegistry();
  owner = await signUp(r.api);
});
after(() => r.close());

const tarball = (name: string, files: Record<string, string>) => packageTarball({ name, version: '1.0.0' }, { files });
const verify = (token: string) => call(`${r.api}/auth/verify`, { method: 'POST', token });
const userId = async (username: string) =>
  (await r.registry.deps.db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

describe('secret scanning at publish', () => {
  test('a live token of the publisher in the tarball: refused naming file and line, the token revoked at once, audited', async () => {
    const leaked = await apiToken(r, owner.token, ['publish']);
    assert.equal((await verify(leaked)).status, 200);
    const name = uniqueName('leaky');
    const res = await publishTarball(
      r.api,
      leaked,
      tarball(name, { 'src/main.syn': 'fn main() {}\n', 'src/config.syn': `// settings\nlet registry = "x"\nlet token = "${leaked}"\n` }),
    );
    assertProblem(
      res,
      400,
      'secret_detected',
      /^src\/config\.syn line 3 holds what looks like an API token of this registry \(syn_…\); nothing was published\. The live token found was revoked\./,
    );
    assert.deepEqual(res.body.findings, [{ kind: 'synapse_token', path: 'src/config.syn', line: 3 }]);
    assert.equal(JSON.stringify(res.body).includes(leaked), false, 'the answer never repeats the secret');
    assert.equal((await verify(leaked)).status, 401, 'the token no longer authenticates');
    assert.equal((await call(`${r.api}/packages/${name}`)).status, 404, 'nothing was published');

    const entries = await auditRows(r);
    const revoke = entries.find((e) => e.action === 'token_revoke' && JSON.parse(e.details).path === 'src/config.syn');
    assert.ok(revoke, 'the revocation is audited');
    assert.equal(revoke.subject_user_id, await userId(owner.username), "the entry is about the token's owner");
    const detected = entries.find((e) => e.action === 'secret_detected');
    assert.deepEqual(JSON.parse(detected!.details), {
      findings: [{ kind: 'synapse_token', path: 'src/config.syn', line: 3 }],
      revoked_tokens: 1,
    });
    assert.equal(JSON.stringify(entries).includes(leaked), false, 'the audit log never holds the secret');
    const own = await call(`${r.api}/auth/audit`, { token: owner.token });
    assert.ok(
      own.body.results.some((e: { action: string }) => e.action === 'token_revoke'),
      "the owner sees it in their account's log",
    );
  });

  test('look-alikes are published', async () => {
    const name = uniqueName('lookalike');
    const files = {
      'README.md': `# Config\nSet SYNAPSE_TOKEN=syn_${'x'.repeat(40)} in CI.\nAWS's example key is AKIAIOSFODNN7EXAMPLE.\n`,
      'src/main.syn': `let key = "-----BEGIN PUBLIC KEY-----"\nlet gh = "ghp_${'a'.repeat(36)}"\nlet stripe = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"\nlet npm_config_registry = "x"\n`,
    };
    const res = await publishTarball(r.api, owner.token, tarball(name, files));
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  test('another credential is refused, and published when the publisher says it is not a secret', async () => {
    const name = uniqueName('awsy');
    const tgz = tarball(name, { 'deploy/settings.ini': '[aws]\naws_access_key_id = AKIAQYLPMN5HHHFPZAM2\n' });
    assertProblem(
      await publishTarball(r.api, owner.token, tgz),
      400,
      'secret_detected',
      /^deploy\/settings\.ini line 2 holds what looks like an AWS access key/,
    );
    const allowed = await call(`${r.api}/packages?allow_secrets=true`, {
      method: 'POST',
      token: owner.token,
      body: new Uint8Array(tgz),
      headers: { 'content-type': 'application/gzip' },
    });
    assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
  });
});

/** The scan thread's file is found and loaded both ways `npm start` runs the registry. */
for (const mode of ['bundle', 'source'] as const) {
  const built = existsSync(fileURLToPath(new URL('../../../dist/secret-scan-worker.mjs', import.meta.url)));
  test(`a registry started by bin/registry.mjs from the ${mode} scans on its worker thread`, {
    timeout: 120_000,
    skip:
      (testBackend() !== 'sqlite' && 'checked in the SQLite pass') ||
      (mode === 'bundle' && !built && 'no bundle: npm run build makes dist/'),
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'synapse-scan-worker-'));
    const registry = await spawnRegistry({
      env: {
        REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
        REGISTRY_STORAGE_PATH: join(dir, 'blobs'),
        REGISTRY_RATE_LIMIT_ENABLED: 'false',
        REGISTRY_SECRET_SCAN_THREAD: 'true',
        ...(mode === 'source' ? { SYNAPSE_REGISTRY_FROM_SOURCE: '1' } : {}),
      },
      startTimeoutMs: mode === 'source' ? 90_000 : undefined,
    });
    try {
      const { token } = await signUp(registry.api);
      const tgz = tarball('thread-check', { 'deploy/settings.ini': '[aws]\naws_access_key_id = AKIAQYLPMN5HHHFPZAM2\n' });
      const res = await publishTarball(registry.api, token, tgz);
      assert.equal(res.status, 400, `${JSON.stringify(res.body)}\n${registry.output()}`);
      assert.deepEqual(res.body.findings, [{ kind: 'aws_access_key', path: 'deploy/settings.ini', line: 2 }]);
      const clean = await publishTarball(registry.api, token, tarball('thread-check', { 'src/main.syn': 'fn main() {}\n' }));
      assert.equal(clean.status, 201, JSON.stringify(clean.body));
      assert.doesNotMatch(registry.output(), /secret scan/, 'nothing about the scan thread in the log');
    } finally {
      await registry.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
}
