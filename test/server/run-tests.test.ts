/** `npm test` names every suite it did not run, with the reason, in its closing summary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

// Without this the runner's own `node --test` would report to this test process, not to stdout.
const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;

test('without PostgreSQL and Redis, the production suites are listed as skipped, with the reason', () => {
  const result = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'packages/core/src/names.test', 'test/production/'], {
    encoding: 'utf8',
    env: {
      ...parentEnv,
      // Ports nothing listens on: the probe is refused at once.
      REGISTRY_TEST_PG_URL: 'postgres://postgres@127.0.0.1:1/postgres',
      REGISTRY_TEST_REDIS_URL: 'redis://127.0.0.1:1',
      REGISTRY_REQUIRE_BACKENDS: '',
    },
    timeout: 120_000,
  });
  const summary = result.stdout.slice(result.stdout.lastIndexOf('duration_ms'));
  for (const suite of ['faults', 'multi-instance', 'shutdown']) {
    assert.match(summary, new RegExp(`SKIPPED suite test/production/${suite}\\.test\\.ts: PostgreSQL at \\S+ is not reachable`), summary);
  }
  assert.equal(result.status, 0, result.stdout + result.stderr);

  const required = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'test/production/shutdown'], {
    encoding: 'utf8',
    env: { ...parentEnv, REGISTRY_TEST_PG_URL: 'postgres://postgres@127.0.0.1:1/postgres', REGISTRY_REQUIRE_BACKENDS: '1' },
    timeout: 120_000,
  });
  assert.equal(required.status, 1, 'a skip fails the run when backends are required');
  assert.match(required.stdout, /SKIPPED suite test\/production\/shutdown\.test\.ts/);
});
