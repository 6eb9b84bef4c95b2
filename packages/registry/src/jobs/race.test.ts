/**
 * Several runners over one database, as several instances (PostgreSQL: a pool each) or processes
 * (SQLite: the file opened twice) would run: every job runs exactly once, and jobs of one ordering
 * key never overlap and run in id order, whichever runner takes them.
 */
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { databaseKinds, type TestDatabase } from '../../../../test/helpers/databases.ts';
import { enqueueJob, enqueueJobs, type JobSpec } from './enqueue.ts';
import { createJobRunner, type JobHandler } from './runner.ts';
import { queueStats } from './stats.ts';

const JOBS = 300;
const KEYS = 10;

for (const kind of databaseKinds) {
  const runners = kind.name === 'postgres' ? 3 : 2;
  describe(`${runners} runners on one ${kind.name} database`, { skip: kind.skip }, () => {
    let database: TestDatabase | undefined;
    after(() => database?.cleanup());

    test(`share ${JOBS} jobs with no job run twice and every ordering key in order`, async (t) => {
      database = await kind.create();
      // One after another: the first open migrates the fresh database.
      const dbs = [];
      for (let n = 0; n < runners; n++) dbs.push(await database.open());
      const now = () => new Date('2026-03-01T12:00:00.000Z');
      // Every third job is free; the rest spread over KEYS ordering keys.
      const specs: JobSpec[] = Array.from({ length: JOBS }, (_, i) => ({
        kind: 'count',
        payload: { i },
        orderingKey: i % 3 === 0 ? null : `key-${i % KEYS}`,
      }));
      for (let i = 0; i < specs.length; i += 100) {
        await dbs[0]!.kysely.transaction().execute((trx) => enqueueJobs(trx, specs.slice(i, i + 100), now()));
      }

      const runs = new Map<number, number>();
      const byRunner = new Array<number>(runners).fill(0);
      const activeKeys = new Set<string>();
      const lastIdOfKey = new Map<string, number>();
      const problems: string[] = [];
      const handler =
        (runner: number): JobHandler =>
        async (job) => {
          runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
          byRunner[runner]! += 1;
          const key = job.orderingKey;
          if (key !== null) {
            if (activeKeys.has(key)) problems.push(`job ${job.id} started while another job of ${key} ran`);
            if ((lastIdOfKey.get(key) ?? 0) > job.id) problems.push(`job ${job.id} of ${key} ran after job ${lastIdOfKey.get(key)}`);
            activeKeys.add(key);
            lastIdOfKey.set(key, job.id);
          }
          // Yield, so the other runners claim while this job is in flight.
          await new Promise((resolve) => setImmediate(resolve));
          if (key !== null) activeKeys.delete(key);
          return { status: 'done' };
        };
      const all = dbs.map((db, n) =>
        createJobRunner({ db, now, handlers: { count: handler(n) }, workerId: `instance-${n}`, concurrency: 8 }),
      );
      const ran = await Promise.all(all.map((r) => r.runDue()));

      t.diagnostic(`jobs run by each runner: ${byRunner.join(', ')}`);
      assert.deepEqual(problems, []);
      assert.equal(
        ran.reduce((a, b) => a + b, 0),
        JOBS,
      );
      assert.equal(runs.size, JOBS);
      assert.deepEqual(
        [...runs.values()].filter((n) => n !== 1),
        [],
        'no job ran twice',
      );
      assert.deepEqual(await queueStats(dbs[0]!, now()), { queued: 0, running: 0, dead: 0, oldestQueuedAgeMs: null });
      const done = await dbs[0]!.kysely
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '=', 'done')
        .executeTakeFirstOrThrow();
      assert.equal(Number(done.n), JOBS);
    });
  });
}

describe('enqueueing on PostgreSQL', { skip: databaseKinds.find((k) => k.name === 'postgres')!.skip }, () => {
  let database: TestDatabase | undefined;
  after(() => database?.cleanup());

  // Ids are handed out at INSERT and rows appear at COMMIT; without a lock per key, a later job could
  // commit (and run) before an earlier one of its key became visible.
  test('a second transaction enqueueing for the same ordering key waits for the first to commit', async () => {
    database = await databaseKinds.find((k) => k.name === 'postgres')!.create();
    const one = await database.open();
    const two = await database.open();
    const now = new Date('2026-03-01T12:00:00.000Z');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstId = 0;
    const first = one.kysely.transaction().execute(async (trx) => {
      firstId = await enqueueJob(trx, { kind: 'k', payload: 1, orderingKey: 'sub:1/pkg:a' }, now);
      await held;
    });
    const second = two.kysely.transaction().execute(async (trx) => {
      // Wait for the first insert, so the second id is the higher one.
      while (firstId === 0) await new Promise((resolve) => setImmediate(resolve));
      return enqueueJob(trx, { kind: 'k', payload: 2, orderingKey: 'sub:1/pkg:a' }, now);
    });
    const waiting = async () =>
      Number(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.execute(one.kysely))
          .rows[0]!.n,
      );
    const deadline = Date.now() + 5_000;
    while ((await waiting()) === 0) {
      assert.ok(Date.now() < deadline, 'the second enqueue never waited for the first transaction');
    }
    // An unrelated key does not wait.
    await two.kysely.transaction().execute((trx) => enqueueJob(trx, { kind: 'k', payload: 3, orderingKey: 'sub:1/pkg:b' }, now));
    release();
    await first;
    assert.ok((await second) > firstId);
  });
});
