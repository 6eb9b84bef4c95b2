/**
 * Mirror benchmark: the scale proof and figures. Starts an upstream registry (fresh SQLite
 * file + blob folder), publishes packages × versions, then yanks, deprecates, deletes and tags a few.
 * A full mirror (`npm run mirror` as a child process, its own database and folder) is SIGKILLed by
 * PID once about half the versions are in, restarted, and run to the end; a registry started on the
 * mirror's database then must serve every package's document and every tarball (sha256) exactly as
 * the upstream does (exit 1 otherwise). Last, a pull-through registry: latency of uncached vs cached
 * package documents and tarballs, one request at a time.
 *
 *   node --import tsx bench/mirror.ts [--packages 1000] [--versions 5] [--publishers 8]
 *     [--concurrency 4] [--pull-names 200] [--budget-minutes 15] [--json FILE]
 *
 * Loopback only; a watchdog stops every child it started (by PID) and exits if the run overstays.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bounded } from './lib/options.ts';
import { packageName } from './lib/corpus.ts';
import { benchToken, populate } from './lib/populate.ts';
import { startRegistry, type RegistryProcess } from './lib/registry-process.ts';
import { killMirrors } from './lib/mirror-child.ts';
import { applyLifecycle } from './lib/upstream-lifecycle.ts';
import { fullMirror, loadNow, type FullMirrorResult } from './lib/mirror-scenario.ts';
import { pullThroughLatency, type PullThroughResult } from './lib/pull-through-latency.ts';
import { mirrorReport } from './lib/mirror-report.ts';

const ROOT = resolve(import.meta.dirname, '..');

function readOptions() {
  const { values } = parseArgs({
    options: {
      packages: { type: 'string' },
      versions: { type: 'string' },
      publishers: { type: 'string' },
      concurrency: { type: 'string' },
      'pull-names': { type: 'string' },
      'budget-minutes': { type: 'string' },
      json: { type: 'string' },
    },
  });
  return {
    packages: bounded(values.packages, 1000, 6, 10_000, '--packages'),
    versions: bounded(values.versions, 5, 2, 20, '--versions'),
    publishers: bounded(values.publishers, 8, 1, 64, '--publishers'),
    concurrency: bounded(values.concurrency, 4, 1, 32, '--concurrency'),
    pullNames: bounded(values['pull-names'], 200, 1, 1_000, '--pull-names'),
    budgetMinutes: bounded(values['budget-minutes'], 15, 1, 60, '--budget-minutes'),
    json: values.json,
  };
}
export type MirrorBenchOptions = ReturnType<typeof readOptions>;

const live = new Set<RegistryProcess>();

async function start(env: Record<string, string> = {}): Promise<RegistryProcess> {
  const registry = await startRegistry({ root: ROOT, env });
  live.add(registry);
  return registry;
}

async function stopAll(): Promise<void> {
  killMirrors();
  await Promise.all([...live].map((r) => r.stop(2_000)));
  live.clear();
}

/** Names for the pull-through pass, spread over the corpus, away from the ones with lifecycle changes. */
function pullNames(options: MirrorBenchOptions): string[] {
  const candidates = Array.from({ length: options.packages }, (_, i) => i).filter(
    (i) => i >= 3 && i < options.packages - 2 && i !== Math.floor(options.packages / 2),
  );
  const step = Math.max(1, Math.floor(candidates.length / options.pullNames));
  return candidates
    .filter((_, k) => k % step === 0)
    .slice(0, options.pullNames)
    .map(packageName);
}

async function main(): Promise<void> {
  const options = readOptions();
  const giveUp = (code: number) => () => void stopAll().finally(() => process.exit(code));
  const watchdog = setTimeout(() => {
    console.error(`the run took longer than ${options.budgetMinutes} minutes; stopping`);
    giveUp(2)();
  }, options.budgetMinutes * 60_000);
  watchdog.unref();
  const interrupt = giveUp(130);
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const load: Record<string, number> = {};
  let mirror: FullMirrorResult;
  let pull: PullThroughResult;
  try {
    load['populate'] = loadNow();
    const upstream = await start();
    const api = `${upstream.origin}/api/v1`;
    console.error(`upstream pid ${upstream.pid} at ${upstream.origin}; publishing ${options.packages} × ${options.versions}…`);
    const token = await benchToken(api);
    const published = await populate({
      api,
      token,
      packages: options.packages,
      versions: options.versions,
      publishers: options.publishers,
    });
    if (published.failures > 0) throw new Error(`${published.failures} publishes failed: ${published.failureSamples.join('; ')}`);
    console.error(`published ${published.publishes} in ${published.totalSeconds.toFixed(1)} s`);
    const lifecycle = await applyLifecycle(api, token, options.packages, options.versions);
    const names = Array.from({ length: options.packages }, (_, i) => packageName(i));
    mirror = await fullMirror({
      root: ROOT,
      upstream,
      names,
      concurrency: options.concurrency,
      start,
      load,
      totalVersions: options.packages * options.versions - 1,
    });
    mirror.lifecycle = lifecycle;
    mirror.publish = { seconds: published.totalSeconds, perSecond: published.perSecond };
    load['pull-through'] = loadNow();
    const pullThrough = await start({ REGISTRY_UPSTREAM_URL: upstream.origin });
    console.error(`pull-through pid ${pullThrough.pid}: ${options.pullNames} names, one request at a time…`);
    pull = await pullThroughLatency(api, `${pullThrough.origin}/api/v1`, pullNames(options), '1.0.0');
  } finally {
    await stopAll();
    clearTimeout(watchdog);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  console.log(mirrorReport(options, mirror, pull, load));
  if (options.json) await writeFile(options.json, JSON.stringify({ at: new Date().toISOString(), options, mirror, pull, load }, null, 2));
  if (mirror.verification.differenceCount > 0) process.exitCode = 1;
}

await main();
