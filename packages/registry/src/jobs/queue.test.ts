/**
 * The job queue's contract, held to SQLite and PostgreSQL alike. Time moves by the injected clock,
 * never by sleeping.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds, type TestDatabase } from '../../../../test/helpers/databases.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { enqueueJob, enqueueJobs } from './enqueue.ts';
import { sql } from 'kysely';
import { candidates, claimJobs } from './claim.ts';
import { markDone } from './finish.ts';
import { createJobRunner, type ClaimedJob, type JobHandler, type JobRunnerOptions } from './runner.ts';
import { pruneFinishedJobs } from './retention.ts';
import { queueStats } from './stats.ts';

const START = Date.parse('2026-03-01T12:00:00.000Z');
const SECOND = 1_000;
const DAY = 86_400_000;

for (const kind of databaseKinds) {
  describe(`job queue on ${kind.name}`, { skip: kind.skip }, () => {
    let database: TestDatabase;
    let db: RegistryDatabase;
    let t = START;
    const now = () => new Date(t);
    const runner = (handlers: Record<string, JobHandler>, extra: Partial<JobRunnerOptions> = {}) =>
      createJobRunner({ db, now, handlers, workerId: 'test-worker', random: () => 0.5, ...extra });
    const job = (id: number) => db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    before(async () => {
      database = await kind.create();
      db = await database.open();
    });
    after(() => database.cleanup());
    beforeEach(async () => {
      t = START;
      await db.kysely.deleteFrom('jobs').execute();
    });

    test('a job enqueued in a transaction that rolls back does not exist; one that commits runs once', async () => {
      await assert.rejects(
        db.kysely.transaction().execute(async (trx) => {
          await enqueueJob(trx, { kind: 'k', payload: { n: 1 } }, now());
          throw new Error('change failed');
        }),
        /change failed/,
      );
      assert.equal((await db.kysely.selectFrom('jobs').select('id').execute()).length, 0);

      const id = await db.kysely.transaction().execute((trx) => enqueueJob(trx, { kind: 'k', payload: { n: 2, s: 'é' } }, now()));
      const seen: ClaimedJob[] = [];
      const ran = await runner({ k: async (j) => (seen.push(j), { status: 'done' }) }).runDue();
      assert.equal(ran, 1);
      assert.deepEqual(seen, [
        { id, kind: 'k', payload: { n: 2, s: 'é' }, attempt: 1, maxAttempts: 10, orderingKey: null, createdAt: new Date(START) },
      ]);
      const row = await job(id);
      assert.equal(row.state, 'done');
      assert.equal(row.finished_at, new Date(START).toISOString());
      assert.equal(row.locked_by, null);
      assert.equal(await runner({}).runDue(), 0);
    });

    test('a retry waits for its time on the injected clock; a throw waits the default backoff', async () => {
      const id = await enqueueJob(db.kysely, { kind: 'k', payload: null }, now());
      const attempts: number[] = [];
      const r = runner({
        k: async (j) => {
          attempts.push(j.attempt);
          if (j.attempt === 1) return { status: 'retry', at: new Date(t + 30 * SECOND), error: 'receiver said 503' };
          if (j.attempt <= 3) throw new Error(`boom ${j.attempt}`);
          return { status: 'done' };
        },
      });
      assert.equal(await r.runDue(), 1);
      let row = await job(id);
      assert.deepEqual(
        [row.state, row.last_error, row.run_at],
        ['queued', 'receiver said 503', new Date(START + 30 * SECOND).toISOString()],
      );
      assert.equal(await r.runDue(), 0, 'not due yet');
      t += 29_999;
      assert.equal(await r.runDue(), 0, 'still not due');
      t += 1;
      assert.equal(await r.runDue(), 1);
      row = await job(id);
      assert.equal(row.last_error, 'Error: boom 2');
      // attempt 2 threw: 30 s × 4^1 = 2 min (random 0.5 is the middle of the jitter).
      assert.equal(row.run_at, new Date(t + 120 * SECOND).toISOString());
      t += 120 * SECOND - 1;
      assert.equal(await r.runDue(), 0);
      t += 1;
      assert.equal(await r.runDue(), 1);
      t += 480 * SECOND; // attempt 3 threw: 8 min
      assert.equal(await r.runDue(), 1);
      assert.deepEqual(attempts, [1, 2, 3, 4]);
      assert.equal((await job(id)).state, 'done');
    });

    test('jobs of one ordering key run in id order, across retries; dead and done jobs do not block', async () => {
      const ids = await enqueueJobs(
        db.kysely,
        [
          { kind: 'k', payload: 'a1', orderingKey: 'sub:1/pkg:a' },
          { kind: 'k', payload: 'b1', orderingKey: 'sub:1/pkg:b' },
          { kind: 'k', payload: 'a2', orderingKey: 'sub:1/pkg:a' },
          { kind: 'k', payload: 'free' },
          { kind: 'k', payload: 'a3', orderingKey: 'sub:1/pkg:a' },
          { kind: 'k', payload: 'b2', orderingKey: 'sub:1/pkg:b' },
        ],
        now(),
      );
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
      const order: string[] = [];
      const r = runner({
        k: async (j) => {
          order.push(`${String(j.payload)}#${j.attempt}`);
          if (j.payload === 'a1' && j.attempt === 1) return { status: 'retry', at: new Date(t + 30 * SECOND), error: 'later' };
          if (j.payload === 'b1') return { status: 'failed', error: 'gone' };
          return { status: 'done' };
        },
      });
      await r.runDue();
      // a1 waits for its retry, and a2, a3 behind it; b1 died, which lets b2 run.
      assert.deepEqual(order.sort(), ['a1#1', 'b1#1', 'b2#1', 'free#1']);
      assert.equal((await job(ids[2]!)).state, 'queued');
      order.length = 0;
      t += 30 * SECOND;
      assert.equal(await r.runDue(), 3);
      assert.deepEqual(order, ['a1#2', 'a2#1', 'a3#1']);
    });

    test('a job whose worker died is claimed again once its lease runs out; the dead worker cannot finish it', async () => {
      const id = await enqueueJob(db.kysely, { kind: 'k', payload: 1 }, now());
      const [claimed] = await claimJobs(db, { workerId: 'crashed', now: now(), leaseMs: 60 * SECOND, limit: 5 });
      assert.equal(claimed?.id, id);
      const seen: number[] = [];
      const r = runner({ k: async (j) => (seen.push(j.attempt), { status: 'done' }) }, { leaseMs: 60 * SECOND });
      assert.equal(await r.runDue(), 0, 'the lease still holds');
      assert.equal((await queueStats(db, now())).running, 1);
      t += 60 * SECOND;
      assert.equal(await r.runDue(), 1);
      assert.deepEqual(seen, [2]);
      assert.equal(await markDone(db.kysely, { id, workerId: 'crashed', attempt: 1 }, now()), false);
      assert.equal((await job(id)).locked_by, null);
    });

    test('a job whose last allowed run lost its lease is dead, not run again', async () => {
      const id = await enqueueJob(db.kysely, { kind: 'k', payload: 1, maxAttempts: 1 }, now());
      await claimJobs(db, { workerId: 'crashed', now: now(), leaseMs: 10 * SECOND, limit: 1 });
      t += 10 * SECOND;
      let ran = 0;
      assert.equal(await runner({ k: async () => (ran++, { status: 'done' }) }).runDue(), 1);
      assert.equal(ran, 0);
      const row = await job(id);
      assert.equal(row.state, 'dead');
      assert.match(row.last_error ?? '', /lease expired on attempt 1 of 1/);
    });

    test('a job of a kind this runner has no handler for is left for a runner that has one', async () => {
      const id = await enqueueJob(db.kysely, { kind: 'webhook.nope', payload: {} }, now());
      assert.equal(await runner({ k: async () => ({ status: 'done' }) }).runDue(), 0);
      assert.equal((await job(id)).state, 'queued', 'an older instance during a rolling deploy does not give it up');
      assert.equal(await runner({ 'webhook.nope': async () => ({ status: 'done' }) }).runDue(), 1);
      const row = await job(id);
      assert.equal(row.state, 'done');
      assert.equal(row.finished_at, now().toISOString());
    });

    test('retries stop at max attempts (dead, with the last error); a failed outcome is dead at once', async () => {
      const id = await enqueueJob(db.kysely, { kind: 'k', payload: 1, maxAttempts: 3 }, now());
      const failed = await enqueueJob(db.kysely, { kind: 'f', payload: 1 }, now());
      let runs = 0;
      const r = runner({
        k: async () => (runs++, { status: 'retry', at: now(), error: `no ${runs}` }),
        f: async () => ({ status: 'failed', error: 'bad payload' }),
      });
      assert.equal(await r.runDue(), 4);
      assert.equal(runs, 3);
      const row = await job(id);
      assert.deepEqual([row.state, row.attempts, row.last_error], ['dead', 3, 'gave up after 3 attempts: no 3']);
      assert.deepEqual([(await job(failed)).state, (await job(failed)).attempts], ['dead', 1]);
    });

    test('a handler that returns something other than an outcome is retried like a throw', async () => {
      const id = await enqueueJob(db.kysely, { kind: 'k', payload: 1 }, now());
      await runner({ k: async () => ({ status: 'retry', at: new Date(Number.NaN), error: 'x' }) }).runDue();
      const row = await job(id);
      assert.equal(row.state, 'queued');
      assert.match(row.last_error ?? '', /TypeError: handler returned .* not a job outcome/);
    });

    test('retention deletes done jobs finished over 7 days ago and dead ones over 90, a bounded batch at a time, and nothing else', async () => {
      const at = (ms: number) => new Date(START - ms).toISOString();
      const base = { kind: 'k', payload: '1', max_attempts: 1, created_at: at(30 * DAY) };
      const old = Array.from({ length: 1_200 }, () => ({ ...base, state: 'done' as const, run_at: at(8 * DAY), finished_at: at(8 * DAY) }));
      for (let i = 0; i < old.length; i += 400)
        await db.kysely
          .insertInto('jobs')
          .values(old.slice(i, i + 400))
          .execute();
      const kept = await db.kysely
        .insertInto('jobs')
        .values([
          { ...base, state: 'done', run_at: at(6 * DAY), finished_at: at(6 * DAY) },
          { ...base, state: 'dead', run_at: at(30 * DAY), finished_at: at(30 * DAY) },
          { ...base, state: 'queued', run_at: at(30 * DAY), finished_at: null },
        ])
        .returning('id')
        .execute();
      await db.kysely
        .insertInto('jobs')
        .values({ ...base, state: 'dead', run_at: at(91 * DAY), finished_at: at(91 * DAY) })
        .execute();
      const total = async () => (await db.kysely.selectFrom('jobs').select('id').execute()).length;
      assert.equal(await pruneFinishedJobs(db, now(), 1_000), 1_000);
      assert.equal(await total(), 204);
      // The runner sweeps too (one batch per run: the 200 old done jobs, then the old dead one); the
      // queued job runs and is done now, so it stays.
      assert.equal(await runner({ k: async () => ({ status: 'done' }) }).runDue(), 1);
      const left = await db.kysely.selectFrom('jobs').select(['id', 'state']).orderBy('id').execute();
      assert.deepEqual(
        left.map((r) => r.id),
        kept.map((r) => r.id),
      );
      assert.deepEqual(
        left.map((r) => r.state),
        ['done', 'dead', 'done'],
      );
    });

    test('queueStats counts queued (retries waiting included), running and dead jobs, and the lag of the oldest due job', async () => {
      assert.deepEqual(await queueStats(db, now()), { queued: 0, running: 0, dead: 0, oldestQueuedAgeMs: null });
      await enqueueJob(db.kysely, { kind: 'k', payload: 1, runAt: new Date(START - 90 * SECOND) }, now());
      await enqueueJob(db.kysely, { kind: 'k', payload: 2, runAt: new Date(START - 10 * SECOND) }, now());
      await enqueueJob(db.kysely, { kind: 'k', payload: 3, runAt: new Date(START + 3_600 * SECOND) }, now());
      await enqueueJob(db.kysely, { kind: 'nope', payload: 4, runAt: new Date(START - 200 * SECOND) }, now());
      assert.deepEqual(await queueStats(db, now()), { queued: 4, running: 0, dead: 0, oldestQueuedAgeMs: 200 * SECOND });
      await claimJobs(db, { workerId: 'w', now: now(), leaseMs: 60 * SECOND, limit: 1 });
      assert.deepEqual(await queueStats(db, now()), { queued: 3, running: 1, dead: 0, oldestQueuedAgeMs: 90 * SECOND });
      t += 60 * SECOND;
      await runner({ k: async () => ({ status: 'done' }), nope: async () => ({ status: 'failed', error: 'no' }) }).runDue();
      assert.deepEqual(await queueStats(db, now()), { queued: 1, running: 0, dead: 1, oldestQueuedAgeMs: null });
    });

    test('a runner claims no more than its free slots', async () => {
      await enqueueJobs(
        db.kysely,
        Array.from({ length: 7 }, (_, i) => ({ kind: 'k', payload: i })),
        now(),
      );
      let running = 0;
      let most = 0;
      const r = runner(
        {
          k: async () => {
            most = Math.max(most, ++running);
            await new Promise((resolve) => setImmediate(resolve));
            running--;
            return { status: 'done' };
          },
        },
        { concurrency: 3 },
      );
      assert.equal(await r.runDue(), 7);
      assert.equal(most, 3);
    });

    test('start() polls on its timer, wake() polls at once, stop() waits for the jobs in flight', async () => {
      let tick: (() => void) | undefined;
      let release: (() => void) | undefined;
      const started: unknown[] = [];
      const r = runner(
        {
          k: async (j) => {
            started.push(j.payload);
            if (j.payload === 'slow') await new Promise<void>((resolve) => (release = resolve));
            return { status: 'done' };
          },
        },
        { timer: (run) => ((tick = run), () => (tick = undefined)) },
      );
      r.start();
      const first = await enqueueJob(db.kysely, { kind: 'k', payload: 'slow' }, now());
      r.wake();
      await until(() => release !== undefined);
      await enqueueJob(db.kysely, { kind: 'k', payload: 'by timer' }, now());
      tick!();
      await until(() => started.length === 2);
      let stopped = false;
      const stopping = r.stop().then(() => (stopped = true));
      assert.equal(tick, undefined, 'the timer is cancelled');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(stopped, false, 'stop() waits for the slow job');
      release!();
      await stopping;
      assert.equal((await job(first)).state, 'done');
    });

    test('an idle runner only reads: no write moves the SQLite write generation that read caches key on', async () => {
      await enqueueJob(db.kysely, { kind: 'k', payload: 1, runAt: new Date(START + 60 * SECOND) }, now());
      const r = runner({ k: async () => ({ status: 'done' }) });
      const before = db.writeGeneration();
      assert.equal(await r.runDue(), 0);
      assert.equal(db.writeGeneration(), before);
      t += 60 * SECOND;
      assert.equal(await r.runDue(), 1);
      if (kind.name === 'sqlite') assert.notEqual(db.writeGeneration(), before);
    });

    test('while foreground work is in flight, polls take only jobs overdue by yieldMs; its end lets the rest go', async () => {
      const ran: string[] = [];
      const r = runner(
        { k: async (j) => (ran.push(String(j.payload)), { status: 'done' }) },
        { yieldMs: 30 * SECOND, timer: () => () => undefined },
      );
      await enqueueJob(db.kysely, { kind: 'k', payload: 'overdue', runAt: new Date(START - 30 * SECOND) }, now());
      await enqueueJob(db.kysely, { kind: 'k', payload: 'fresh' }, now());
      const release = r.busy();
      const second = r.busy();
      r.start();
      await until(() => ran.length === 1);
      // Both were claimable in that one claim; only the one 30 s late was taken.
      assert.deepEqual(ran, ['overdue']);
      release();
      release(); // a second call of one release changes nothing
      await enqueueJob(db.kysely, { kind: 'k', payload: 'late', runAt: new Date(START - 40 * SECOND) }, now());
      r.wake();
      await until(() => ran.length === 2);
      assert.deepEqual(ran, ['overdue', 'late'], 'other foreground work is still in flight');
      second();
      await until(() => ran.length === 3);
      assert.deepEqual(ran, ['overdue', 'late', 'fresh']);
      // runDue is an explicit run: it never yields. Stopped before the job is queued: a poll of the
      // running runner still in flight (begun before busy()) could otherwise take it first.
      const held = r.busy();
      await r.stop();
      await enqueueJob(db.kysely, { kind: 'k', payload: 'explicit' }, now());
      assert.equal(await r.runDue(), 1);
      held();
      assert.deepEqual(ran, ['overdue', 'late', 'fresh', 'explicit']);
    });

    test('the claim reads the partial indexes, not the table of done jobs', async () => {
      const picked = candidates(now().toISOString(), 5, sql``);
      const details =
        kind.name === 'sqlite'
          ? (await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${picked}`.execute(db.kysely)).rows.map((r) => r.detail).join('\n')
          : await db.kysely.transaction().execute(async (trx) => {
              // An empty table is cheapest to scan whole; forbid that to see whether the index applies.
              await sql`SET LOCAL enable_seqscan = off`.execute(trx);
              const rows = (await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${picked}`.execute(trx)).rows;
              return rows.map((r) => r['QUERY PLAN']).join('\n');
            });
      assert.match(details, /jobs_pending/);
      assert.match(details, /jobs_ordering/);
    });
  });
}

/** Waits (a turn of the event loop at a time, at most a few seconds) until `ready()` holds. */
async function until(ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
