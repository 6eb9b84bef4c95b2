/**
 * Search speed at scale: 100,000 packages and ~500,000 versions (with 14 days of download counts)
 * bulk-loaded straight into the database, then the registry started as its own process and asked
 * typical searches, suggestions, trending and recent lists over HTTP, one request at a time, with
 * p50/p99 per kind. On SQLite and on PostgreSQL (REGISTRY_BENCH_PG_URL or the test server's admin URL).
 *
 *   node --import tsx bench/search-speed.ts [packages=100000] [sqlite,postgres] [requests=400]
 *
 * Goals on a 2-core machine: search p50 ≤ 5 ms and p99 ≤ 25 ms, suggest p50 ≤ 2 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { freshPostgres } from '../test/helpers/backends.ts';
import { freePort } from './lib/registry-process.ts';
import { markdownTable, quantile } from './lib/stats.ts';
import { generateCorpus } from './search-quality/corpus.ts';
import { loadCorpus } from './search-quality/load.ts';
import { QUERIES } from './search-quality/queries.ts';

const size = Number(process.argv[2] ?? 100_000);
const backends = (process.argv[3] ?? 'sqlite,postgres').split(',');
const requests = Number(process.argv[4] ?? 400);
const root = new URL('..', import.meta.url).pathname;

const SEARCHES = [...QUERIES.map((q) => q.q), 'http', 'client', 'parser', 'json', 'fast', 'stream', 'tools', 'a'];
const PREFIXES = ['h', 'ht', 'http', 'js', 'oau', 'web', 'mark', 'po', 'sq', 'fast-', 'tiny-h', 'zor'];
const KINDS: Record<string, (i: number) => string> = {
  search: (i) => `/search?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length]!)}`,
  'search p3': (i) => `/search?page=3&q=${encodeURIComponent(SEARCHES[i % SEARCHES.length]!)}`,
  suggest: (i) => `/search/suggest?q=${encodeURIComponent(PREFIXES[i % PREFIXES.length]!)}`,
  trending: (i) => `/packages/trending?page=${1 + (i % 3)}`,
  recent: (i) => `/packages/recent?page=${1 + (i % 3)}`,
};

async function measure(api: string, path: (i: number) => string): Promise<number[]> {
  for (let i = 0; i < 50; i++) await (await fetch(api + path(i))).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const res = await fetch(api + path(i));
    await res.arrayBuffer();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${path(i)}: ${res.status}`);
  }
  return times.sort((a, b) => a - b);
}

const corpus = generateCorpus(size);
const rows: (string | number)[][] = [];
for (const backend of backends) {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-search-speed-'));
  const pg = backend === 'postgres' ? await freshPostgres() : null;
  const url = pg ? pg.url : `sqlite://${join(dir, 'registry.db')}`;
  try {
    const db = await openDatabase(pg ? { kind: 'postgres', url, poolSize: 5 } : { kind: 'sqlite', path: join(dir, 'registry.db') });
    const started = performance.now();
    const versions = await loadCorpus(db, corpus, {
      now: new Date(),
      downloadDays: 14,
      progress: (done) => {
        if (done % 20_000 === 0) process.stderr.write(`  ${backend}: ${done} packages loaded\n`);
      },
    });
    await db.close();
    console.log(`${backend}: ${corpus.length} packages, ${versions} versions loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/registry.mjs'], {
      cwd: root,
      env: {
        ...process.env,
        REGISTRY_ENV: 'development',
        REGISTRY_PORT: String(port),
        REGISTRY_DATA_DIR: dir,
        REGISTRY_DB_URL: url,
        REGISTRY_RATE_LIMIT_ENABLED: 'false',
        REGISTRY_LOG_LEVEL: 'fatal',
      },
      stdio: 'ignore',
    });
    const api = `http://127.0.0.1:${port}/api/v1`;
    try {
      for (let ready = false; !ready; ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        ready = await fetch(`${api}/health`).then((r) => r.ok, () => false);
      }
      for (const [kind, path] of Object.entries(KINDS)) {
        const t = await measure(api, path);
        rows.push([backend, kind, requests, quantile(t, 0.5).toFixed(2), quantile(t, 0.99).toFixed(2), t[t.length - 1]!.toFixed(1)]);
        console.log(`  ${kind}: p50 ${quantile(t, 0.5).toFixed(2)} ms, p99 ${quantile(t, 0.99).toFixed(2)} ms`);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  } finally {
    await pg?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
console.log(`\n${markdownTable(['backend', 'request', 'n', 'p50 ms', 'p99 ms', 'max ms'], rows)}`);
