/**
 * The job runner inside a registry: started with it (handlers from the options beside the
 * registry's own), woken after a commit, and stopped at close() after its jobs in flight finish and
 * before the database closes. (The queue's own contract: packages/registry/src/jobs/queue.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '../../packages/registry/src/db/database.ts';
import { enqueueJob } from '../../packages/registry/src/jobs/enqueue.ts';
import type { JobHandler } from '../../packages/registry/src/jobs/runner.ts';
import { startRegistry } from '../helpers/registry.ts';

test('a registry runs the jobs it queues, and close() lets a job in flight record its outcome', async () => {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seen: unknown[] = [];
  const handler: JobHandler = async (job) => {
    seen.push(job.payload);
    started();
    await gate;
    return { status: 'done' };
  };
  const registry = await startRegistry({ REGISTRY_JOBS_POLL_MS: '60000' }, { jobHandlers: { 'test.slow': handler }, keepDir: true });
  const { deps } = registry.registry;
  const id = await deps.db.kysely.transaction().execute((trx) => enqueueJob(trx, { kind: 'test.slow', payload: { n: 1 } }, deps.now()));
  // The poll interval is a minute: only the wake after the commit gets the job going now.
  deps.jobs.wake();
  await running;
  const closing = registry.close();
  release();
  await closing;
  assert.deepEqual(seen, [{ n: 1 }]);

  const db = await openDatabase({ kind: 'sqlite', path: join(registry.dir, 'registry.db') });
  try {
    const row = await db.kysely.selectFrom('jobs').select(['state', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { state: 'done', attempts: 1 });
  } finally {
    await db.close();
    await rm(registry.dir, { recursive: true, force: true });
  }
});
