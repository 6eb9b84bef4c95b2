import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db/database.ts';
import { RegistryError } from '../../../core/src/errors.ts';
import { createActionLimits, type ActionLimits } from './action-limits.ts';
import { databaseBucketStore } from './action-bucket-store.ts';

const OFF = { new_package: null, new_version: null, yank: null, invitation: null };

async function refusal(limits: ActionLimits, action: 'new_package' | 'yank', subject: string): Promise<RegistryError> {
  const error = await limits.take(action, subject).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof RegistryError, `expected a refusal, got ${String(error)}`);
  return error;
}

test('database buckets: per action and subject, refilled by the injected clock, kept in the table', async () => {
  const db = await openDatabase({ kind: 'sqlite', path: ':memory:' });
  let now = Date.UTC(2026, 0, 1);
  const limits = createActionLimits({
    rules: { ...OFF, new_package: { burst: 2, everyMs: 600_000 }, yank: { burst: 1, everyMs: 90_000 } },
    store: databaseBucketStore(db),
    now: () => new Date(now),
    onError: (error) => assert.fail(String(error)),
  });
  try {
    await limits.take('new_package', 7);
    await limits.take('new_package', '7');
    const refused = await refusal(limits, 'new_package', '7');
    assert.equal(refused.status, 429);
    assert.equal(refused.code, 'action_rate_limited');
    assert.equal(
      refused.message,
      'Too many new packages for one account: the limit is 2 at once, then 1 every 10 minutes; retry in 600 seconds',
    );
    assert.equal(refused.headers?.['retry-after'], '600');
    assert.deepEqual(refused.data, { action: 'new_package', limit: 2, refill_every_seconds: 600 });
    // Another account, another action, and an action with no rule are untouched.
    await limits.take('new_package', 8);
    await limits.take('yank', 7);
    assert.match(
      (await refusal(limits, 'yank', '7')).message,
      /yanks for one account: the limit is 1 at once, then 1 every 90 seconds; retry in 90 seconds/,
    );
    for (let i = 0; i < 5; i++) await limits.take('new_version', 7);
    now += 599_001;
    assert.equal((await refusal(limits, 'new_package', '7')).headers?.['retry-after'], '1');
    now += 999;
    await limits.take('new_package', 7);
    // Buckets are written when taken from: the yank bucket refilled since, but shows it only on its next take.
    const rows = await db.kysely.selectFrom('action_buckets').selectAll().orderBy('action').orderBy('subject').execute();
    assert.deepEqual(
      rows.map((r) => [r.action, r.subject, r.tokens]),
      [
        ['new_package', '7', 0],
        ['new_package', '8', 1],
        ['yank', '7', 0],
      ],
    );
  } finally {
    await db.close();
  }
});

test('a failing store lets the action through and reports the failure', async () => {
  const errors: unknown[] = [];
  const limits = createActionLimits({
    rules: { ...OFF, yank: { burst: 1, everyMs: 1_000 } },
    store: { take: async () => Promise.reject(new Error('redis is down')) },
    now: () => new Date(),
    onError: (error) => errors.push(error),
  });
  await limits.take('yank', 1);
  await limits.take('yank', 1);
  assert.equal(errors.length, 2);
});
