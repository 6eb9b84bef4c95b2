/**
 * Backend benchmark: the same publish and read loads as `bench/http.ts`, on the production
 * backends, one configuration after another:
 *
 *   sqlite          SQLite file + local blob folder, one instance
 *   postgres        PostgreSQL + local blob folder, one instance
 *   postgres-s3     PostgreSQL + S3 (s3rver) + Redis, one instance
 *   postgres-s3-x3  the same with three instances on one database, bucket and Redis prefix
 *
 *   node --import tsx bench/backends.ts [seconds per load, default 10] [--packages 300] [--versions 5]
 *     [--publishers 8] [--connections 50] [--warmup 3] [--only sqlite,postgres-s3-x3] [--json FILE]
 *     [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--redis-url redis://127.0.0.1:6379]
 *
 * Each configuration gets a fresh PostgreSQL database (dropped WITH (FORCE) afterwards), its own
 * s3rver process and bucket (on a free loopback port, in a temporary folder), and its own Redis key
 * prefix (its keys deleted afterwards). With three instances, publishes and load connections go
 * round-robin over them. Everything is on loopback and bounded; a watchdog stops the children by
 * PID and removes what the run created if it overstays its budget.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRegistry, type Memory, type RegistryProcess } from './lib/registry-process.ts';
import { populate, type PopulateResult } from './lib/populate.ts';
import { loadTargets, runLoad, type LoadResult } from './lib/load.ts';
import { packageName, tarballFor, versionName } from './lib/corpus.ts';
import { markdownTable } from './lib/stats.ts';
import { createDatabase, redisPrefix, s3AndRedisEnv, startS3rver, type Disposable } from './lib/services.ts';
import { bounded } from './lib/options.ts';

const ROOT = resolve(import.meta.dirname, '..');

interface Config {
  id: string;
  title: string;
  postgres: boolean;
  /** S3 blobs and Redis counters (they come together, as in a multi-instance deployment). */
  s3AndRedis: boolean;
  instances: number;
}

const CONFIGS: readonly Config[] = [
  { id: 'sqlite', title: 'SQLite + local folder, 1 instance', postgres: false, s3AndRedis: false, instances: 1 },
  { id: 'postgres', title: 'PostgreSQL + local folder, 1 instance', postgres: true, s3AndRedis: false, instances: 1 },
  { id: 'postgres-s3', title: 'PostgreSQL + S3 + Redis, 1 instance', postgres: true, s3AndRedis: true, instances: 1 },
  { id: 'postgres-s3-x3', title: 'PostgreSQL + S3 + Redis, 3 instances', postgres: true, s3AndRedis: true, instances: 3 },
];

/** The read loads of http.ts that every backend serves differently; search has its own benchmark. */
const READS = ['package', 'version', 'tarball'] as const;

function readOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      packages: { type: 'string' },
      versions: { type: 'string' },
      publishers: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
      'pg-url': { type: 'string' },
      'redis-url': { type: 'string' },
    },
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((id) => !CONFIGS.some((c) => c.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown configuration ${unknown.join(', ')}; they are ${CONFIGS.map((c) => c.id).join(', ')}`);
  return {
    durationSeconds: bounded(positionals[0], 10, 1, 120, 'the load duration (seconds)'),
    packages: bounded(values.packages, 300, 1, 10_000, '--packages'),
    versions: bounded(values.versions, 5, 1, 20, '--versions'),
    publishers: bounded(values.publishers, 8, 1, 64, '--publishers'),
    connections: bounded(values.connections, 50, 3, 500, '--connections'),
    warmupSeconds: bounded(values.warmup, 3, 0, 60, '--warmup'),
    configs: CONFIGS.filter((c) => !only || only.includes(c.id)),
    json: values.json,
    pgUrl: values['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: values['redis-url'] ?? 'redis://127.0.0.1:6379',
  };
}
type Options = ReturnType<typeof readOptions>;

interface ConfigResult {
  config: Config;
  published: PopulateResult;
  loads: LoadResult[];
  memory: Memory[];
  machineLoad: string;
}

/**
 * Everything the run has created and not yet removed, newest last, so the watchdog and the signal
 * handlers can undo it.
 */
const live: Disposable[] = [];

async function disposeLive(): Promise<void> {
  for (const item of live.splice(0).reverse()) {
    try {
      await item.dispose();
    } catch (error) {
      console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function track<T extends Disposable>(item: T): T {
  live.push(item);
  return item;
}

const asDisposable = (registry: RegistryProcess): Disposable => ({ dispose: () => registry.stop(5_000) });

/**
 * Read-after-write on every instance, before any load: the last published package has its latest
 * version, and a few random tarballs come back byte for byte as published, whichever instance took
 * the publish.
 */
async function checkEveryInstance(origins: readonly string[], options: Options): Promise<void> {
  const last = options.packages - 1;
  const latest = versionName(options.versions - 1);
  const samples = [
    [last, options.versions - 1],
    ...Array.from({ length: 4 }, () => [Math.floor(Math.random() * options.packages), Math.floor(Math.random() * options.versions)]),
  ] as const;
  for (const origin of origins) {
    const meta = await fetch(`${origin}/api/v1/packages/${packageName(last)}`);
    const body = (await meta.json()) as { latest?: string };
    if (meta.status !== 200 || body.latest !== latest)
      throw new Error(`${origin}: ${packageName(last)} answered ${meta.status}, latest ${body.latest} (expected ${latest})`);
    for (const [p, v] of samples) {
      const path = `/api/v1/packages/${packageName(p)}/${versionName(v)}/tarball`;
      const response = await fetch(origin + path);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200 || !bytes.equals(tarballFor(p, v)))
        throw new Error(`${origin}${path}: ${response.status}, ${bytes.length} bytes that differ from the published tarball`);
    }
  }
}

async function runConfig(config: Config, options: Options): Promise<ConfigResult> {
  const machineLoad = loadavg()[0]!.toFixed(2);
  const env: Record<string, string> = {
    REGISTRY_ENV: 'production',
    // One secret for every instance, so the publisher's session is accepted by all of them.
    REGISTRY_SECRET_KEY: randomBytes(32).toString('hex'),
    // Required in production; the load follows the URLs it builds itself, not tarball links.
    REGISTRY_PUBLIC_URL: 'http://registry.bench',
    REGISTRY_RATE_LIMIT_ENABLED: 'false',
    REGISTRY_LOG_LEVEL: 'fatal',
  };
  const mark = live.length;
  try {
    if (config.postgres) {
      const database = track(await createDatabase(options.pgUrl));
      env.REGISTRY_DB_URL = database.url;
    }
    if (config.s3AndRedis) {
      const s3 = track(await startS3rver(ROOT));
      const redis = track(redisPrefix(options.redisUrl));
      Object.assign(env, s3AndRedisEnv(s3, options.redisUrl, redis.prefix));
    }
    // The first instance runs the migrations; the others start on a ready schema.
    const registries = [await startRegistry({ root: ROOT, env })];
    track(asDisposable(registries[0]!));
    const rest = await Promise.allSettled(Array.from({ length: config.instances - 1 }, () => startRegistry({ root: ROOT, env })));
    for (const started of rest) {
      if (started.status !== 'fulfilled') continue;
      registries.push(started.value);
      track(asDisposable(started.value));
    }
    const failed = rest.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const origins = registries.map((r) => r.origin);
    console.error(
      `${config.id}: ${registries.length} instance(s) (pids ${registries.map((r) => r.pid).join(', ')}); publishing ${options.packages} × ${options.versions}…`,
    );

    const published = await populate({
      api: origins.map((o) => `${o}/api/v1`),
      packages: options.packages,
      versions: options.versions,
      publishers: options.publishers,
    });
    console.error(
      `${config.id}: published ${published.publishes} (${published.failures} failed) in ${published.totalSeconds.toFixed(1)} s`,
    );
    await checkEveryInstance(origins, options);

    const targets = loadTargets(options.packages, options.versions).filter((t) => (READS as readonly string[]).includes(t.id));
    // Unreported warm-up on every instance: with three processes the JIT's work is three times as
    // much, and a cold start would otherwise count against the multi-instance row.
    if (options.warmupSeconds > 0) {
      for (const target of targets)
        await runLoad(origins, target, { connections: options.connections, durationSeconds: options.warmupSeconds });
    }
    const loads: LoadResult[] = [];
    for (const target of targets) {
      console.error(`${config.id}: loading ${target.id} for ${options.durationSeconds} s…`);
      loads.push(await runLoad(origins, target, { connections: options.connections, durationSeconds: options.durationSeconds }));
    }
    const memory = await Promise.all(registries.map((r) => r.memory()));
    return { config, published, loads, memory, machineLoad };
  } finally {
    // Registries first (SIGTERM lets them flush download counts), then the stores they used.
    const mine = live.splice(mark);
    for (const item of mine.reverse()) {
      try {
        await item.dispose();
      } catch (error) {
        console.error(`${config.id}: cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function report(options: Options, results: ConfigResult[]): string {
  const load = (r: ConfigResult, id: string) => r.loads.find((l) => l.id === id);
  const rate = (l: LoadResult | undefined) => (l ? fmt(l.reqPerSec) : '–');
  const p99 = (l: LoadResult | undefined) => (l ? String(l.p99Ms) : '–');
  const rows = results.map((r) => {
    const [pkg, ver, tgz] = READS.map((id) => load(r, id));
    const non2xx = r.loads.reduce((sum, l) => sum + l.non2xx + l.errors + l.timeouts, 0);
    return [
      r.config.title,
      fmt(r.published.perSecond),
      fmt(r.published.p99Ms, 1),
      r.published.failures,
      rate(pkg),
      p99(pkg),
      rate(ver),
      p99(ver),
      rate(tgz),
      p99(tgz),
      non2xx,
    ];
  });
  return [
    `Synapse Registry backend benchmark, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30)} GiB`,
    `Publish ${fmt(options.packages)} packages × ${options.versions} versions (~10 KB tarballs, ${options.publishers} concurrent publishers); ` +
      `then ${options.warmupSeconds} s of unreported warm-up per load, then autocannon, ${options.connections} connections (split round-robin over the instances), ${options.durationSeconds} s per load, random package per request. Loopback; rate limits and logs off.`,
    '',
    markdownTable(
      [
        'config',
        'publish/s',
        'publish p99 ms',
        'publish failures',
        'metadata req/s',
        'metadata p99 ms',
        'version req/s',
        'version p99 ms',
        'tarball req/s',
        'tarball p99 ms',
        'non-2xx',
      ],
      rows,
    ),
    '',
    ...results.map(
      (r) =>
        `${r.config.title}: machine load average ${r.machineLoad} at its start; RSS after the loads ${r.memory.map((m) => `${fmt(m.rssMb)} MB (peak ${fmt(m.peakRssMb)})`).join(', ')}` +
        (r.published.failureSamples.length > 0 ? `; failed publishes: ${r.published.failureSamples.join('; ')}` : ''),
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = readOptions();
  // Budget: 10 minutes per configuration for services, populate and checks, plus its loads.
  const budgetMs = options.configs.length * (10 * 60_000 + READS.length * (options.durationSeconds + 30) * 1000);
  // Timer and signal callbacks cannot be awaited; each ends the process once the cleanup is done.
  const giveUp = (code: number) => () => {
    void disposeLive().finally(() => process.exit(code));
  };
  const watchdog = setTimeout(() => {
    console.error(`the run took longer than ${fmt(budgetMs / 60_000)} minutes; stopping`);
    giveUp(2)();
  }, budgetMs);
  watchdog.unref();
  const interrupt = giveUp(130);
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const results: ConfigResult[] = [];
  try {
    for (const config of options.configs) results.push(await runConfig(config, options));
  } finally {
    await disposeLive();
    clearTimeout(watchdog);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  console.log(report(options, results));
  if (options.json) {
    const raw = { at: new Date().toISOString(), options: { ...options, configs: options.configs.map((c) => c.id) }, results };
    await writeFile(options.json, JSON.stringify(raw, null, 2));
  }
}

await main();
