/**
 * HTTP benchmark of the registry: starts it as a child process on loopback with a fresh SQLite
 * file and blob folder, publishes packages × versions through the API with concurrent publishers,
 * then loads the read endpoints with autocannon and prints markdown tables.
 *
 *   node --import tsx bench/http.ts [seconds per load, default 10] [--packages 1000] [--versions 5]
 *     [--publishers 8] [--connections 50] [--only package,search-word] [--cpu-prof DIR] [--json FILE]
 *
 * Everything is bounded: a fixed number of publishes, fixed-length loads, and a watchdog that stops
 * the server and exits if the whole run overstays its budget.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRegistry, type Memory, type RegistryProcess } from './lib/registry-process.ts';
import { populate, type PopulateResult } from './lib/populate.ts';
import { loadTargets, runLoad, type LoadResult, type LoadTarget } from './lib/load.ts';
import { markdownTable } from './lib/stats.ts';
import { summariseProfile } from './lib/cpu-profile.ts';
import { bounded } from './lib/options.ts';
import { pageSizes } from './lib/page-sizes.ts';

const ROOT = resolve(import.meta.dirname, '..');

function readOptions() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      packages: { type: 'string' },
      versions: { type: 'string' },
      publishers: { type: 'string' },
      connections: { type: 'string' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
      json: { type: 'string' },
    },
  });
  return {
    durationSeconds: bounded(positionals[0], 10, 1, 120, 'the load duration (seconds)'),
    packages: bounded(values.packages, 1000, 1, 10_000, '--packages'),
    versions: bounded(values.versions, 5, 1, 20, '--versions'),
    publishers: bounded(values.publishers, 8, 1, 64, '--publishers'),
    connections: bounded(values.connections, 50, 1, 500, '--connections'),
    only: values.only?.split(',').map((s) => s.trim()),
    cpuProfDir: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    json: values.json,
  };
}

/** One request per target before loading it: a benchmark of 404s would look fast and mean nothing. */
async function checkTarget(origin: string, target: LoadTarget): Promise<void> {
  const path = target.path();
  const response = await fetch(origin + path);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${target.id}: GET ${path} answered ${response.status}: ${body.toString().slice(0, 300)}`);
  if (target.id.startsWith('search-')) {
    const { total } = JSON.parse(body.toString()) as { total: number };
    if (!(total > 0)) throw new Error(`${target.id}: GET ${path} found nothing`);
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const fmtMem = (m: Memory) => `${fmt(m.rssMb)} MB (peak ${fmt(m.peakRssMb)} MB)`;

function report(
  options: ReturnType<typeof readOptions>,
  published: PopulateResult,
  loads: LoadResult[],
  memory: { populated: Memory; loaded: Memory },
): string {
  const lines = [
    `Synapse Registry HTTP benchmark, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30)} GiB`,
    `SQLite file + local blob folder, loopback, rate limits and logs off; autocannon ${options.connections} connections, ${options.durationSeconds} s per target, random package per request.`,
    '',
    `Publish (${fmt(options.packages)} packages × ${options.versions} versions, ~10 KB tarballs, ${options.publishers} concurrent): ` +
      `${fmt(published.publishes)} in ${fmt(published.totalSeconds, 1)} s (${fmt(published.perSecond)}/s), ` +
      `p50 ${fmt(published.p50Ms, 1)} ms, p99 ${fmt(published.p99Ms, 1)} ms, max ${fmt(published.maxMs, 1)} ms, ${published.failures} failed`,
    ...published.failureSamples.map((s) => `  failed: ${s}`),
    '',
    markdownTable(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'MB/s', 'non-2xx'],
      loads.map((l) => [l.title, l.reqPerSec, l.p50Ms, l.p99Ms, l.mbPerSec.toFixed(1), l.non2xx + l.errors + l.timeouts]),
    ),
    '',
    `RSS of the server: ${fmtMem(memory.populated)} after populate, ${fmtMem(memory.loaded)} after the load.`,
  ];
  return lines.join('\n');
}

/** The main thread's profile of that process (`CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile`); the loader thread writes its own. */
async function mainThreadProfile(dir: string, pid: number): Promise<string | undefined> {
  return (await readdir(dir)).filter((f) => f.includes(`.${pid}.0.`) && f.endsWith('.cpuprofile')).map((f) => join(dir, f))[0];
}

async function main(): Promise<void> {
  const options = readOptions();
  const targets = loadTargets(options.packages, options.versions).filter((t) => !options.only || options.only.includes(t.id));
  if (targets.length === 0)
    throw new Error(
      `--only matches no target; the targets are ${loadTargets(1, 1)
        .map((t) => t.id)
        .join(', ')}`,
    );
  if (options.cpuProfDir) await mkdir(options.cpuProfDir, { recursive: true });

  const registry: RegistryProcess = await startRegistry({
    root: ROOT,
    nodeArgs: options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [],
  });
  // Budget: 30 minutes for populate plus each load with slack; then stop the server and give up.
  const budgetMs = 30 * 60_000 + targets.length * (options.durationSeconds + 30) * 1000;
  // Timer and signal callbacks cannot be awaited; each ends the process once the server is down.
  const giveUp = (code: number) => () => {
    void registry.stop(2_000).finally(() => process.exit(code));
  };
  const watchdog = setTimeout(() => {
    console.error(`the run took longer than ${budgetMs / 60_000} minutes; stopping`);
    giveUp(2)();
  }, budgetMs);
  watchdog.unref();
  const interrupt = giveUp(130);
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  try {
    const loadBefore = loadavg()[0]!.toFixed(2);
    console.error(`registry pid ${registry.pid} at ${registry.origin}; publishing ${options.packages} × ${options.versions}…`);
    const published = await populate({
      api: `${registry.origin}/api/v1`,
      packages: options.packages,
      versions: options.versions,
      publishers: options.publishers,
    });
    console.error(`published ${published.publishes} (${published.failures} failed) in ${published.totalSeconds.toFixed(1)} s`);
    const populated = await registry.memory();

    const loads: LoadResult[] = [];
    const machineLoad: string[] = [`before populate ${loadBefore}`];
    for (const target of targets) {
      await checkTarget(registry.origin, target);
      console.error(`loading ${target.id} for ${options.durationSeconds} s…`);
      machineLoad.push(`${target.id} ${loadavg()[0]!.toFixed(2)}`);
      loads.push(await runLoad(registry.origin, target, { connections: options.connections, durationSeconds: options.durationSeconds }));
    }
    // Search and pages again with one connection: the time one request takes (for a page, its time to
    // first byte is all of it), without queueing behind 49 others.
    for (const target of targets.filter((t) => t.id.startsWith('search') || t.id.startsWith('page-'))) {
      const single = { ...target, id: `${target.id}-1c`, title: `${target.title}, 1 connection` };
      console.error(`loading ${single.id} for ${options.durationSeconds} s…`);
      machineLoad.push(`${single.id} ${loadavg()[0]!.toFixed(2)}`);
      loads.push(await runLoad(registry.origin, single, { connections: 1, durationSeconds: options.durationSeconds }));
    }
    const loaded = await registry.memory();
    console.log(report(options, published, loads, { populated, loaded }));
    if (targets.some((t) => t.id.startsWith('page-'))) console.log(`\n${await pageSizes(registry.origin)}`);
    console.log(
      `Machine 1-minute load average at the start of each phase (other work on the machine shows here): ${machineLoad.join(', ')}.`,
    );
    if (options.json) {
      const raw = { at: new Date().toISOString(), options, published, loads, memory: { populated, loaded }, machineLoad };
      await writeFile(options.json, JSON.stringify(raw, null, 2));
    }
  } finally {
    await registry.stop();
    clearTimeout(watchdog);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }

  if (options.cpuProfDir) {
    const profile = await mainThreadProfile(options.cpuProfDir, registry.pid);
    if (!profile) throw new Error(`no .cpuprofile was written to ${options.cpuProfDir}`);
    const summary = await summariseProfile(profile);
    const table = (rows: { label: string; ms: number; share: number }[]) =>
      markdownTable(
        ['self time', 'ms', '%'],
        rows.map((r) => [r.label, fmt(r.ms), (r.share * 100).toFixed(1)]),
      );
    console.log(
      `\nServer CPU profile (${profile}): ${fmt(summary.busyMs / 1000, 1)} s busy of ${fmt(summary.durationMs / 1000, 1)} s; self time by module:\n\n${table(summary.modules)}`,
    );
    console.log(`\nBy function:\n\n${table(summary.functions)}`);
  }
}

await main();
