/**
 * Server CPU per search request at scale: the generated corpus (search-quality/corpus.ts) bulk-loaded
 * into a database, the registry built in this process, and each query asked through `app.inject`
 * with process.cpuUsage() around it (user + system of this one process: the handler, the database
 * driver and SQLite itself). On PostgreSQL the registry gets one connection, and the CPU of the
 * server process behind it is read from /proc too (a database server on this machine), as a mean.
 *
 *   node --import tsx bench/search-cpu.ts [packages=100000] [sqlite|postgres] [repeats=10] [--keep DIR]
 *
 * With --keep the SQLite database is written to DIR once and reused by later runs (loading 100,000
 * packages takes a minute), so two builds can be compared on the same data. PostgreSQL uses the
 * database at REGISTRY_BENCH_PG_URL, loaded when it has no package yet and kept, or else a fresh
 * database on the test server, dropped afterwards. Wall time is printed beside CPU: one request at
 * a time, it is the registry's CPU plus the database server's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../packages/registry/src/config/index.ts';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../packages/registry/src/db/schema.ts';
import { openDatabase } from '../packages/registry/src/db/database.ts';
import { createRegistry } from '../packages/registry/src/server/start.ts';
import { freshPostgres } from '../test/helpers/backends.ts';
import { markdownTable, quantile } from './lib/stats.ts';
import { generateCorpus } from './search-quality/corpus.ts';
import { loadCorpus } from './search-quality/load.ts';

const args = process.argv.slice(2);
const keepAt = args.indexOf('--keep');
const keep = keepAt >= 0 ? args.splice(keepAt, 2)[1] : undefined;
const size = Number(args[0] ?? 100_000);
const backend = args[1] ?? 'sqlite';
const repeats = Number(args[2] ?? 10);

export const QUERIES = [
  'a',
  'stream',
  'a OR the OR for OR to OR of OR in OR is OR on',
  'http',
  'tools',
  'http client',
  'fast json',
  'yaml',
  'http-client',
];

const dir = keep ?? (await mkdtemp(join(tmpdir(), 'synapse-search-cpu-')));
const keptPg = backend === 'postgres' ? process.env.REGISTRY_BENCH_PG_URL : undefined;
const pg = backend === 'postgres' && !keptPg ? await freshPostgres() : null;
const dbUrl = keptPg ?? pg?.url ?? `sqlite://${join(dir, 'registry.db')}`;
try {
  await mkdir(dir, { recursive: true });
  if (backend === 'postgres' || !existsSync(join(dir, 'registry.db'))) {
    const db = await openDatabase(
      backend === 'postgres' ? { kind: 'postgres', url: dbUrl, poolSize: 5 } : { kind: 'sqlite', path: join(dir, 'registry.db') },
    );
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM packages`.execute(db.kysely);
    if (Number(rows[0]!.n) === 0) {
      const started = performance.now();
      await loadCorpus(db, generateCorpus(size), { now: new Date(), downloadDays: 14 });
      console.error(`${backend}: ${size} packages loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await db.close();
  }
  const config = loadConfig({
    ...process.env,
    REGISTRY_ENV: 'development',
    REGISTRY_DATA_DIR: dir,
    REGISTRY_DB_URL: dbUrl,
    REGISTRY_RATE_LIMIT_ENABLED: 'false',
    REGISTRY_LOG_LEVEL: 'fatal',
    // One connection, so its server process's CPU is all of this registry's database work.
    ...(backend === 'postgres' ? { REGISTRY_DB_POOL_SIZE: '1' } : {}),
  });
  const registry = await createRegistry(config);
  try {
    const serverCpu = backend === 'postgres' ? await backendCpu(registry) : () => 0;
    const rows: (string | number)[][] = [];
    for (const q of QUERIES) {
      const url = `/api/v1/search?q=${encodeURIComponent(q)}`;
      let total = 0;
      for (let i = 0; i < 3; i++) await registry.app.inject({ method: 'GET', url });
      const cpu: number[] = [];
      const wall: number[] = [];
      const serverBefore = serverCpu();
      for (let i = 0; i < repeats; i++) {
        const before = process.cpuUsage();
        const started = performance.now();
        const res = await registry.app.inject({ method: 'GET', url });
        wall.push(performance.now() - started);
        const used = process.cpuUsage(before);
        cpu.push((used.user + used.system) / 1000);
        if (res.statusCode !== 200) throw new Error(`${q}: ${res.statusCode} ${res.body}`);
        total = (res.json() as { total: number }).total;
      }
      const serverMean = (serverCpu() - serverBefore) / repeats;
      const mean = cpu.reduce((a, b) => a + b, 0) / repeats;
      cpu.sort((a, b) => a - b);
      wall.sort((a, b) => a - b);
      const server = backend === 'postgres' ? [serverMean.toFixed(1), (mean + serverMean).toFixed(1)] : [];
      rows.push([
        `\`${q}\``,
        total,
        quantile(cpu, 0.5).toFixed(1),
        cpu[cpu.length - 1]!.toFixed(1),
        quantile(wall, 0.5).toFixed(1),
        wall[wall.length - 1]!.toFixed(1),
        ...server,
      ]);
    }
    const serverHeader = backend === 'postgres' ? ['PostgreSQL CPU ms mean', 'both CPU ms mean'] : [];
    console.log(markdownTable(['query', 'total', 'CPU ms median', 'CPU ms max', 'wall ms median', 'wall ms max', ...serverHeader], rows));
  } finally {
    await registry.close();
  }
} finally {
  await pg?.drop();
  if (!keep) await rm(dir, { recursive: true, force: true });
}

/**
 * The CPU used so far by the PostgreSQL server process behind the registry's one connection, in ms
 * (utime + stime from /proc, in clock ticks of 10 ms: read over all repeats of a query, not one).
 * Needs the database server on this machine.
 */
async function backendCpu(registry: { deps: { db: { kysely: Kysely<Database> } } }): Promise<() => number> {
  const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(registry.deps.db.kysely);
  const path = `/proc/${rows[0]!.pid}/stat`;
  return () => {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
}
