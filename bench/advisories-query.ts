/**
 * How long does the bulk advisory query take? A registry holds `--packages` packages and
 * `--advisories` advisories spread over them (each with one or two SEMVER ranges, some withdrawn);
 * a lockfile of `--lockfile` packages × 1 version is asked about. Reported: the server's own time
 * in-process (the domain call, cold cache then warm), and the round trip of POST /advisories/query
 * over loopback HTTP, as median and p95 of `--runs` runs.
 *
 *   node --import tsx bench/advisories-query.ts [--packages 5000] [--advisories 10000] [--lockfile 2000] [--runs 30]
 *     [--backend sqlite|postgres] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../packages/registry/src/config/index.ts';
import { createRegistry } from '../packages/registry/src/server/start.ts';
import { createAdvisoryCache } from '../packages/registry/src/advisories/compiled.ts';
import { parseAdvisory } from '../packages/registry/src/advisories/parse.ts';
import { parseQuery, queryAdvisories } from '../packages/registry/src/advisories/query.ts';
import { insertAdvisory } from '../packages/registry/src/advisories/store.ts';
import { warmAdvisories } from '../packages/registry/src/advisories/warm.ts';
import type { RegistryDatabase } from '../packages/registry/src/db/database.ts';
import { bounded } from './lib/options.ts';
import { createDatabase } from './lib/services.ts';

function readOptions() {
  const { values } = parseArgs({
    options: {
      packages: { type: 'string' },
      advisories: { type: 'string' },
      lockfile: { type: 'string' },
      runs: { type: 'string' },
      backend: { type: 'string' },
      'pg-url': { type: 'string' },
    },
  });
  const backend = values.backend ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'postgres') throw new Error(`--backend must be sqlite or postgres, not ${backend}`);
  const packages = bounded(values.packages, 5_000, 1, 100_000, '--packages');
  return {
    packages,
    advisories: bounded(values.advisories, 10_000, 1, 100_000, '--advisories'),
    lockfile: bounded(values.lockfile, 2_000, 1, Math.min(5_000, packages), '--lockfile'),
    runs: bounded(values.runs, 30, 1, 500, '--runs'),
    backend,
    pgUrl: values['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  } as const;
}

const pkgName = (i: number) => `bench-pkg-${i}`;

/** Packages as bare rows (the query reads only names), then advisories through the store, one transaction each. */
async function populate(db: RegistryDatabase, packages: number, advisories: number): Promise<void> {
  const now = new Date().toISOString();
  const ids: number[] = [];
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < packages; i += 500) {
      const rows = Array.from({ length: Math.min(500, packages - i) }, (_, k) => ({
        name: pkgName(i + k),
        canonical_name: pkgName(i + k),
        keywords: '[]',
        created_at: now,
        updated_at: now,
        latest_version: '1.0.0',
      }));
      ids.push(...(await trx.insertInto('packages').values(rows).returning('id').execute()).map((r) => r.id));
    }
  });
  await db.kysely.transaction().execute(async (trx) => {
    for (let a = 0; a < advisories; a++) {
      const p = (a * 7919) % packages;
      const minor = a % 5;
      const events = [{ introduced: `1.${minor}.0` }, { fixed: `1.${minor + 2}.0` }];
      const ranges = [
        { type: 'SEMVER', events },
        ...(a % 3 === 0 ? [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '0.9.0' }] }] : []),
      ];
      const doc = {
        id: `GHSA-bench-${a}`,
        modified: now,
        summary: `Advisory ${a}`,
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
        affected: [{ package: { ecosystem: 'Synapse', name: pkgName(p) }, ranges }],
        ...(a % 10 === 0 ? { withdrawn: now } : {}),
      };
      const parsed = parseAdvisory(doc);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      await insertAdvisory(trx, { advisory: parsed.value, packageIds: new Map([[pkgName(p), ids[p]!]]), createdBy: null, now });
    }
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

async function main(): Promise<void> {
  const options = readOptions();
  const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-advisories-'));
  const pgDb = options.backend === 'postgres' ? await createDatabase(options.pgUrl) : null;
  const config = loadConfig({
    REGISTRY_ENV: 'test',
    REGISTRY_DATA_DIR: dir,
    REGISTRY_STORAGE_PATH: join(dir, 'packages'),
    REGISTRY_DB_URL: pgDb ? pgDb.url : `sqlite://${join(dir, 'registry.db')}`,
  });
  const registry = await createRegistry(config);
  try {
    const started = performance.now();
    await populate(registry.deps.db, options.packages, options.advisories);
    console.log(
      `populated ${options.packages} packages and ${options.advisories} advisories in ${((performance.now() - started) / 1000).toFixed(1)} s (${options.backend})`,
    );
    const lockfile = Object.fromEntries(
      Array.from({ length: options.lockfile }, (_, i) => [pkgName((i * 31) % options.packages), [`1.${i % 7}.${i % 3}`]]),
    );

    const lookup = { db: registry.deps.db.kysely, readRows: registry.deps.db.readRows, cache: createAdvisoryCache({ maxEntries: 50_000 }) };
    const timed = async () => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const answer = await queryAdvisories(lookup, parseQuery(lockfile));
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, affected: Object.keys(answer.results).length };
    };
    const cold = await timed();
    // What a start does in the background (packages/registry/src/advisories/warm.ts), then the first query after it.
    const warmCache = createAdvisoryCache({ maxEntries: 50_000 });
    const warmStarted = performance.now();
    await warmAdvisories({
      db: registry.deps.db.kysely,
      cache: warmCache,
      maxEntries: 50_000,
      onError: (e) => {
        throw e;
      },
    }).done;
    const warmingMs = performance.now() - warmStarted;
    const afterWarming = await (async () => {
      const t = performance.now();
      await queryAdvisories({ ...lookup, cache: warmCache }, parseQuery(lockfile));
      return performance.now() - t;
    })();
    const warm: number[] = [];
    const warmCpu: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const run = await timed();
      warm.push(run.ms);
      warmCpu.push(run.cpuMs);
    }

    await registry.app.listen({ host: '127.0.0.1', port: 0 });
    const address = registry.app.server.address() as { port: number };
    const url = `http://127.0.0.1:${address.port}/api/v1/advisories/query`;
    const body = JSON.stringify(lockfile);
    const http: number[] = [];
    for (let i = 0; i < options.runs + 1; i++) {
      const t = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status !== 200) throw new Error(`query answered ${res.status}: ${await res.text()}`);
      const bytes = (await res.arrayBuffer()).byteLength;
      if (i === 0) console.log(`answer: ${(bytes / 1024).toFixed(0)} KiB; request: ${(body.length / 1024).toFixed(0)} KiB`);
      if (i > 0) http.push(performance.now() - t); // the first warms the server's own cache
    }
    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`lockfile: ${options.lockfile} packages × 1 version; ${cold.affected} packages with findings`);
    console.log(
      `load average when done: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} CPUs (wall times grow with it; CPU time less so)`,
    );
    console.log('| measure | min | median | p95 |');
    console.log('|---|---|---|---|');
    console.log(`| in-process, cold cache (first query), wall | ${f(cold.ms)} | – | – |`);
    console.log(`| compiling all ${options.advisories} at start (in the background, a page a turn), wall | ${f(warmingMs)} | – | – |`);
    console.log(`| in-process, first query after that, wall | ${f(afterWarming)} | – | – |`);
    console.log(`| in-process, warm cache, wall | ${f(Math.min(...warm))} | ${f(median(warm))} | ${f(p95(warm))} |`);
    console.log(`| in-process, warm cache, CPU time | ${f(Math.min(...warmCpu))} | ${f(median(warmCpu))} | ${f(p95(warmCpu))} |`);
    console.log(`| HTTP round trip (loopback, warm), wall | ${f(Math.min(...http))} | ${f(median(http))} | ${f(p95(http))} |`);
  } finally {
    await registry.close();
    await pgDb?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
