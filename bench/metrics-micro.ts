/**
 * The metrics' own cost per request, measured in isolation: on a machine shared with other work the
 * end-to-end comparison (metrics-overhead.ts) moves by more than the effect, while these loops take the
 * fastest of several rounds, which other load can only slow down. Prints nanoseconds per call for what
 * a metadata or tarball GET adds: the onResponse hook's metrics, one database statement's timing (the
 * Kysely log wrapper against a bare Kysely, on an in-memory SQLite), the download counters.
 *
 *   node --import tsx bench/metrics-micro.ts
 */
import { Kysely, SqliteDialect, sql } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { createMetrics } from '../src/metrics/metrics.ts';
import { markdownTable } from './lib/stats.ts';

const ROUNDS = 7;

/** The fastest of ROUNDS runs of `n` calls, in ns per call. */
async function fastest(n: number, run: (n: number) => Promise<void> | void): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    await run(n);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / n);
  }
  return best;
}

const metrics = createMetrics();
const route = metrics.route('GET', '/api/v1/packages/:name');
const byMethod: Record<string, typeof route> = { GET: route };
const hook = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const bound = (byMethod.GET ??= metrics.route('GET', 'x'));
    bound.count(200 + (i & 1));
    bound.duration.observe((i % 50) / 10_000);
  }
};
const counters = async (n: number) => {
  for (let i = 0; i < n; i++) metrics.downloadServed(10_240);
};
const dbTiming = async (n: number) => {
  for (let i = 0; i < n; i++) metrics.dbQuery(0.05 + (i % 7) / 100, false);
};

const database = new BetterSqlite3(':memory:');
const bare = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database }) });
const logged = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database }), log: (event) => metrics.dbQuery(event.queryDurationMillis, event.level === 'error') });
const query = (db: Kysely<Record<string, never>>) => async (n: number) => {
  for (let i = 0; i < n; i++) await sql`SELECT ${i} AS x`.execute(db);
};

const rows: [string, number][] = [
  ['route hook: count + latency observe', await fastest(1_000_000, hook)],
  ['downloads + bytes counters', await fastest(1_000_000, counters)],
  ['database timing (metrics.dbQuery)', await fastest(1_000_000, dbTiming)],
];
// Interleaved, so a burst of other load falls on both alike; the fastest round of each.
let plain = Infinity;
let withLog = Infinity;
for (let round = 0; round < 10; round++) {
  plain = Math.min(plain, await fastest(5_000, query(bare)));
  withLog = Math.min(withLog, await fastest(5_000, query(logged)));
}
rows.push(['a Kysely statement, bare', plain], ['a Kysely statement, with the timing log', withLog], ['difference', withLog - plain]);
console.log(markdownTable(['what', 'ns per call (fastest of 7)'], rows.map(([what, ns]) => [what, ns.toFixed(0)])));
await bare.destroy();
await logged.destroy().catch(() => undefined);
