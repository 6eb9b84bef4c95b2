/**
 * The metrics' own cost per request, measured in isolation: on a machine shared with other work the
 * end-to-end comparison (metrics-overhead.ts) moves by more than the effect, while these loops take the
 * fastest of several rounds, which other load can only slow down. Prints nanoseconds per call for what
 * a metadata or tarball GET adds: the onResponse hook's metrics, one database statement's timing (on
 * the registry's in-memory SQLite connection; and Kysely's log option, which PostgreSQL uses), the
 * download counters.
 *
 *   node --import tsx bench/metrics-micro.ts
 */
import { Kysely, SqliteDialect, sql } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { createMetrics } from '../packages/registry/src/metrics/metrics.ts';
import { openSqlite } from '../packages/registry/src/db/sqlite.ts';
import type { Database } from '../packages/registry/src/db/schema.ts';
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

// The registry's SQLite connection (statement cache and all), without and with statement timing, and
// Kysely's own `log` option for comparison (what PostgreSQL uses).
const bare = openSqlite(':memory:').kysely;
const timedDb = openSqlite(':memory:', { onStatement: metrics.dbQuery }).kysely;
const logged = new Kysely<Database>({
  dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
  log: (event) => metrics.dbQuery(event.queryDurationMillis, false),
});
const logless = new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
const query = (db: Kysely<Database>) => async (n: number) => {
  for (let i = 0; i < n; i++) await sql`SELECT ${i} AS x`.execute(db);
};

const rows: [string, number][] = [
  ['route hook: count + latency observe', await fastest(1_000_000, hook)],
  ['downloads + bytes counters', await fastest(1_000_000, counters)],
  ['database timing (metrics.dbQuery)', await fastest(1_000_000, dbTiming)],
];
// Interleaved, so a burst of other load falls on both alike; the fastest round of each.
const best = { bare: Infinity, timed: Infinity, logless: Infinity, logged: Infinity };
for (let round = 0; round < 10; round++) {
  best.bare = Math.min(best.bare, await fastest(5_000, query(bare)));
  best.timed = Math.min(best.timed, await fastest(5_000, query(timedDb)));
  best.logless = Math.min(best.logless, await fastest(5_000, query(logless)));
  best.logged = Math.min(best.logged, await fastest(5_000, query(logged)));
}
rows.push(
  ["a statement on the registry's SQLite connection", best.bare],
  ['the same, timed (what metrics on runs)', best.timed],
  ['difference', best.timed - best.bare],
  ['a statement on plain Kysely + SQLite', best.logless],
  ["the same with Kysely's log option (PostgreSQL's timing)", best.logged],
  ['difference', best.logged - best.logless],
);
console.log(
  markdownTable(
    ['what', 'ns per call (fastest of 7)'],
    rows.map(([what, ns]) => [what, ns.toFixed(0)]),
  ),
);
await Promise.all([bare, timedDb, logged, logless].map((db) => db.destroy()));
