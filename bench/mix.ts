/**
 * A realistic request mix at fixed request rates (open model): 80 % package metadata, 15 % tarball
 * downloads, 4 % search, 1 % publish (each a new version). Requests go out on a schedule whether or
 * not earlier ones have answered, and each latency runs from its due time, so queueing shows.
 * Targets, one after another, each fresh and filled with the same corpus: ours on SQLite + local
 * folder, ours on PostgreSQL + S3 (s3rver) + Redis, and Verdaccio (with --verdaccio-bin).
 *
 *   node --import tsx bench/mix.ts [--rates 500,1000,2000] [--seconds 10] [--warmup 3]
 *     [--only sqlite,postgres-s3,verdaccio] [--verdaccio-bin PATH] [--packages 300] [--versions 5]
 *     [--connections 256] [--max-in-flight 1000] [--timeout 10] [--seed 1] [--json FILE]
 *     [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--redis-url redis://127.0.0.1:6379]
 *
 * Loopback only and bounded (≤ 20,000/s, ≤ 60 s a rate); children are stopped by PID, and a
 * watchdog stops everything if the run overstays its budget.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { makePlan, shotsOf } from './lib/mix-plan.ts';
import { errorSamples, kindTable, mainTable, summarize, type RunSummary } from './lib/mix-report.ts';
import { TARGET_IDS, TITLES, startTarget, type Target, type TargetId } from './lib/mix-targets.ts';
import { runOpenLoop } from './lib/open-loop.ts';
import { bounded } from './lib/options.ts';
import type { Disposable } from './lib/services.ts';

const ROOT = new URL('..', import.meta.url).pathname;

function readOptions() {
  const text = [
    'rates',
    'seconds',
    'warmup',
    'only',
    'verdaccio-bin',
    'packages',
    'versions',
    'publishers',
    'connections',
    'max-in-flight',
    'timeout',
    'seed',
    'json',
    'pg-url',
    'redis-url',
  ];
  const { values: v } = parseArgs({ options: Object.fromEntries(text.map((name) => [name, { type: 'string' as const }])) });
  const rates = (v.rates ?? '500,1000,2000').split(',').map((r) => bounded(r.trim(), 0, 1, 20_000, 'each of --rates'));
  if (rates.length > 8) throw new Error('--rates takes at most 8 rates');
  const only = (v.only ?? TARGET_IDS.join(',')).split(',').map((s) => s.trim());
  const unknown = only.filter((id) => !(TARGET_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(', ')}; they are ${TARGET_IDS.join(', ')}`);
  return {
    rates,
    seconds: bounded(v.seconds, 10, 1, 60, '--seconds'),
    warmupSeconds: bounded(v.warmup, 3, 0, 30, '--warmup'),
    targets: TARGET_IDS.filter((id) => only.includes(id)),
    verdaccioBin: v['verdaccio-bin'],
    packages: bounded(v.packages, 300, 10, 1000, '--packages'),
    versions: bounded(v.versions, 5, 1, 10, '--versions'),
    publishers: bounded(v.publishers, 8, 1, 64, '--publishers'),
    connections: bounded(v.connections, 256, 1, 1024, '--connections'),
    maxInFlight: bounded(v['max-in-flight'], 1000, 1, 5000, '--max-in-flight'),
    timeoutSeconds: bounded(v.timeout, 10, 1, 60, '--timeout'),
    seed: bounded(v.seed, 1, 0, 1_000_000, '--seed'),
    json: v.json,
    pgUrl: v['pg-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: v['redis-url'] ?? 'redis://127.0.0.1:6379',
  };
}
type Options = ReturnType<typeof readOptions>;

/** What the run has started and not yet stopped, newest last. */
const live: Disposable[] = [];
async function disposeFrom(mark: number): Promise<void> {
  for (const item of live.splice(mark).reverse()) {
    await item
      .dispose()
      .catch((error: unknown) => console.error(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** One open-loop run of `seconds` at `rate` on a target; `publishes` counts the target's publishes so far. */
async function runRate(target: Target, options: Options, rate: number, seconds: number, seed: number, publishes: { count: number }) {
  const plan = makePlan(rate * seconds, seed, options);
  const { shot, publishes: planned } = shotsOf(plan, target.dialect, target.token, publishes.count);
  publishes.count += planned;
  const loadAtStart = loadavg()[0]!;
  const run = await runOpenLoop({
    origin: target.origin,
    rate,
    count: plan.count,
    shot,
    maxInFlight: options.maxInFlight,
    connections: options.connections,
    timeoutMs: options.timeoutSeconds * 1000,
    drainMs: options.timeoutSeconds * 1000,
  });
  return summarize(target.title, rate, plan, run, [loadAtStart, loadavg()[0]!]);
}

async function runTarget(id: TargetId, options: Options): Promise<{ runs: RunSummary[]; note: string }> {
  const mark = live.length;
  try {
    console.error(`${id}: starting and publishing ${options.packages} × ${options.versions}…`);
    const target = await startTarget(id, { ...options, root: ROOT, track: (item) => live.push(item) });
    const publishes = { count: 0 };
    // Not reported: the JIT, caches and connections warm up at the lowest rate, on its own sequence.
    if (options.warmupSeconds > 0)
      await runRate(target, options, Math.min(...options.rates), options.warmupSeconds, options.seed + 999_999, publishes);
    const runs: RunSummary[] = [];
    for (const rate of options.rates) {
      console.error(`${id}: ${rate}/s for ${options.seconds} s…`);
      // The same seed per rate for every target: the same requests in the same order.
      runs.push(await runRate(target, options, rate, options.seconds, options.seed + rate, publishes));
    }
    return { runs, note: `${target.title} (pid ${target.pid}): corpus ${target.populated}; ${publishes.count} mix publishes in all` };
  } finally {
    await disposeFrom(mark);
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const perRateMs = (options.seconds + 2 * options.timeoutSeconds + 10) * 1000;
  const budgetMs = options.targets.length * (10 * 60_000 + (options.rates.length + 1) * perRateMs);
  const giveUp = (code: number) => () => {
    void disposeFrom(0).finally(() => process.exit(code));
  };
  const watchdog = setTimeout(() => {
    console.error(`the run took longer than ${Math.round(budgetMs / 60_000)} minutes; stopping`);
    giveUp(2)();
  }, budgetMs);
  watchdog.unref();
  process.once('SIGINT', giveUp(130));
  process.once('SIGTERM', giveUp(143));

  const runs: RunSummary[] = [];
  const notes: string[] = [];
  for (const id of options.targets) {
    if (id === 'verdaccio' && options.verdaccioBin === undefined) {
      notes.push(`${TITLES.verdaccio}: skipped (no --verdaccio-bin given).`);
      continue;
    }
    try {
      const result = await runTarget(id, options);
      runs.push(...result.runs);
      notes.push(result.note);
    } catch (error) {
      // One target failing (e.g. PostgreSQL not running) still leaves the others' figures.
      notes.push(`${TITLES[id]}: failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  clearTimeout(watchdog);
  console.log(
    [
      `Request mix at fixed rates (open model), ${new Date().toISOString()}, Node ${process.version}, ${availableParallelism()} CPUs`,
      `Corpus ${options.packages} packages × ${options.versions} versions (~10 KB tarballs); mix 80 % metadata, 15 % tarball, 4 % search (20 hits), 1 % publish (a new version each); ` +
        `${options.seconds} s per rate after ${options.warmupSeconds} s of unreported warm-up per target; seed ${options.seed}. ` +
        `Generator: undici Pool, ${options.connections} connections, at most ${options.maxInFlight} in flight (a request due beyond that is not sent and counts as an error), ` +
        `${options.timeoutSeconds} s timeout. Latency runs from each request's due time to its last body byte (successes only); ` +
        `achieved = successes per second from the first due time to the last answer. Loopback; ours with rate limiting on and nothing refused.`,
      '',
      mainTable(runs),
      '',
      kindTable(runs),
      '',
      ...notes,
      ...errorSamples(runs).map((line) => `Errors, ${line}`),
    ].join('\n'),
  );
  if (options.json) await writeFile(options.json, JSON.stringify({ at: new Date().toISOString(), options, runs }, null, 2));
}

await main();
