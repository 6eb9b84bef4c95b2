/**
 * The job queue's hot queries with a big history: claiming (claim + record done, 16 at a time),
 * an idle poll, queueStats and a retention sweep, with DONE finished jobs in the table (the week
 * of history retention keeps) and PENDING jobs queued over 50 ordering keys. Prints a table.
 *
 *   node --import tsx bench/jobs-claim.ts [sqlite|postgres] [done rows, default 1000000]
 *   (postgres uses REGISTRY_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/postgres; a fresh database, dropped after)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type RegistryDatabase } from '../packages/registry/src/db/database.ts';
import { freshPostgres } from '../test/helpers/backends.ts';
import { enqueueJobs } from '../packages/registry/src/jobs/enqueue.ts';
import { claimJobs } from '../packages/registry/src/jobs/claim.ts';
import { markDone } from '../packages/registry/src/jobs/finish.ts';
import { queueStats } from '../packages/registry/src/jobs/stats.ts';
import { pruneFinishedJobs } from '../packages/registry/src/jobs/retention.ts';

const kind = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const DONE = Number(process.argv[3] ?? 1_000_000);
const PENDING = 2_000;
const now = new Date('2026-03-01T12:00:00.000Z');

async function fill(db: RegistryDatabase) {
  // Finished 1 to 6 days ago: kept by retention, so they stay in the table.
  const finished = (i: string) =>
    db.dialect === 'postgres'
      ? sql.raw(`to_char(timestamp '2026-02-23 12:00' + (${i} % 400000) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)
      : sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', '2026-02-23 12:00', '+' || (${i} % 400000) || ' seconds')`);
  const series =
    db.dialect === 'postgres'
      ? sql`SELECT g AS i FROM generate_series(1, ${DONE}) g`
      : sql`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${DONE}) SELECT i FROM s`;
  await sql`INSERT INTO jobs (kind, payload, ordering_key, state, attempts, max_attempts, run_at, created_at, finished_at)
    SELECT 'webhook.deliver', '{"delivery":1}', 'sub:' || (i % 5000), 'done', 1, 10, ${finished('i')}, ${finished('i')}, ${finished('i')}
    FROM (${series}) s`.execute(db.kysely);
  const specs = Array.from({ length: PENDING }, (_, i) => ({
    kind: 'webhook.deliver',
    payload: { i },
    orderingKey: `sub:${i % 50}`,
    runAt: new Date(now.getTime() - 60_000),
  }));
  for (let i = 0; i < specs.length; i += 500) await enqueueJobs(db.kysely, specs.slice(i, i + 500), now);
  if (db.dialect === 'postgres') await sql`ANALYZE jobs`.execute(db.kysely);
  else await sql`ANALYZE`.execute(db.kysely);
}

/** Times `fn` `runs` times; `before` runs untimed ahead of each. */
async function time(label: string, runs: number, fn: () => Promise<unknown>, before?: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
  console.log(`| ${label} | ${runs} | ${at(0.5)} | ${at(0.95)} | ${ms[ms.length - 1]!.toFixed(2)} |`);
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-jobs-'));
  const pgDb = kind === 'postgres' ? await freshPostgres() : undefined;
  const db = await openDatabase(
    pgDb ? { kind: 'postgres', url: pgDb.url, poolSize: 4 } : { kind: 'sqlite', path: join(dir, 'registry.db') },
  );
  try {
    const started = performance.now();
    await fill(db);
    console.log(
      `${kind}: ${DONE.toLocaleString('en')} done jobs + ${PENDING} queued over 50 keys, filled in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    console.log('| query | runs | median ms | p95 ms | max ms |\n|---|---|---|---|---|');
    let claimed: Awaited<ReturnType<typeof claimJobs>> = [];
    const finish = async () => {
      for (const r of claimed) await markDone(db.kysely, { id: r.id, workerId: 'bench', attempt: r.attempts }, now);
    };
    const claim = async () => {
      claimed = await claimJobs(db, { workerId: 'bench', now, leaseMs: 300_000, limit: 16 });
    };
    await time('claim 16 (the 16 before are marked done between runs, untimed)', 100, claim, finish);
    await time('mark one job done', 16, async () => {
      const [one] = claimed.splice(0, 1);
      if (one) await markDone(db.kysely, { id: one.id, workerId: 'bench', attempt: one.attempts }, now);
    });
    await time('idle poll (nothing due: all pending runAt in the future)', 100, () =>
      claimJobs(db, { workerId: 'idle', now: new Date(now.getTime() - 3_600_000), leaseMs: 60_000, limit: 16 }),
    );
    await time('queueStats', 50, () => queueStats(db, now));
    await time('retention sweep, nothing old enough', 50, () => pruneFinishedJobs(db, now));
  } finally {
    await db.close();
    await pgDb?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
