/** `npm run admin`: the real command, against a registry's real SQLite file; its grants take effect at once. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { call, signUp } from '../helpers/client.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run admin', () => {
  let r: TestRegistry;
  let user: { username: string; token: string };
  const admin = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/maintenance.mjs', 'admin', ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            REGISTRY_ENV: 'test',
            REGISTRY_DB_URL: `sqlite://${join(r.dir, 'registry.db')}`,
            REGISTRY_STORAGE_TYPE: 'local',
            REGISTRY_STORAGE_PATH: join(r.dir, 'packages'),
            REGISTRY_DATA_DIR: r.dir,
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 99) : 0, stdout, stderr }),
      );
    });
  const reservedNames = () => call(`${r.api}/admin/reserved-names`, { token: user.token });
  const entries = () => r.registry.deps.db.kysely.selectFrom('audit_log').selectAll().orderBy('id').execute();

  before(async () => {
    // Always the embedded default: the command opens the same SQLite file.
    const dir = await mkdtemp(join(tmpdir(), 'admin-'));
    r = await startRegistry({ REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`, REGISTRY_STORAGE_TYPE: 'local' }, { dir });
    user = await signUp(r.api);
  });
  after(() => r?.close());

  test('grant makes an admin at once (the same session), audited with no actor; revoke undoes it', async () => {
    assert.equal((await reservedNames()).status, 403);
    const listedBefore = await admin('list');
    assert.equal(listedBefore.code, 0, listedBefore.stderr);
    assert.match(listedBefore.stdout, /No admins \(grant one with: npm run admin -- grant NAME\)/);

    const granted = await admin('grant', user.username.toUpperCase());
    assert.equal(granted.code, 0, granted.stderr);
    assert.match(granted.stdout, new RegExp(`${user.username} is now an admin`));
    assert.equal((await reservedNames()).status, 200, 'the session already held is an admin session now');
    assert.equal((await admin('list')).stdout.trim(), user.username);
    const grant = (await entries()).at(-1)!;
    assert.equal(grant.action, 'admin_grant');
    assert.equal(grant.actor_id, null);
    assert.equal(Number(grant.subject_user_id) > 0, true);
    assert.deepEqual(JSON.parse(grant.details), { by: 'command line', username: user.username });

    const again = await admin('grant', user.username);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already was an admin; nothing changed/);
    assert.equal((await entries()).at(-1)!.id, grant.id, 'nothing changed, nothing audited');

    const revoked = await admin('revoke', user.username);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, /is now not an admin/);
    assert.equal((await entries()).at(-1)!.action, 'admin_revoke');
    const refused = await reservedNames();
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'admin_required');
  });

  test('an unknown user is a clear error (exit 1) and changes nothing; bad usage prints the usage (exit 2)', async () => {
    const before = await entries();
    const unknown = await admin('grant', 'nobody-here');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /error: No account is named "nobody-here": check the spelling/);
    for (const args of [['grant'], ['promote', 'x'], ['grant', 'a', 'b']]) {
      const res = await admin(...args);
      assert.equal(res.code, 2, args.join(' '));
      assert.match(res.stderr, /usage: npm run admin -- grant NAME \| revoke NAME \| list/);
    }
    assert.deepEqual(await entries(), before);
  });

  test('no HTTP route can grant admin', async () => {
    const doc = (await (await fetch(`${r.api}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    assert.deepEqual(
      paths.filter((p) => /admin/.test(p) && !p.startsWith('/api/v1/admin/')),
      [],
    );
    assert.ok(!paths.some((p) => /grant|is_admin|\/admins?\b(?!\/)/.test(p.replace('/api/v1/admin/', ''))), paths.join(' '));
  });
});
