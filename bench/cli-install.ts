/**
 * How long `synapse pkg install` takes, in two parts, on a generated graph of 300 packages
 * (bench/lib/install-graph.ts) served by a local registry (a child process on loopback):
 *
 * 1. Startup: `node -e ''`, `synapse pkg --version` and a no-op `synapse pkg install` (the graph
 *    installed, nothing changed), `--runs` rounds with the three interleaved, so a busy machine
 *    slows all three alike. Min and median wall time, and each over bare Node.
 * 2. With `--verdaccio-bin PATH` (Verdaccio installed outside this repository; see bench/README.md):
 *    the same graph installed by `synapse pkg install` from our registry and by `npm install` from
 *    Verdaccio holding the same packages, cold (empty cache, no lockfile), warm (cache and lockfile,
 *    no installed folder) and no-op; the two clients alternate within each scenario.
 *
 *   node --import tsx bench/cli-install.ts [--runs 20] [--packages 300] [--verdaccio-bin PATH]
 *
 * Loopback only; every child is stopped by PID, and a watchdog ends the run if it overstays.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { graphName, npmProject, publishGraph, publishNpmGraph, synapseProject } from './lib/install-graph.ts';
import { bounded } from './lib/options.ts';
import { startRegistry, type RegistryProcess } from './lib/registry-process.ts';
import { markdownTable, quantile } from './lib/stats.ts';
import { startVerdaccio, type Verdaccio } from './lib/verdaccio.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'synapse.cjs');

const { values } = parseArgs({ options: { runs: { type: 'string' }, packages: { type: 'string' }, 'verdaccio-bin': { type: 'string' } } });
const RUNS = bounded(values.runs, 20, 3, 200, '--runs');
const COUNT = bounded(values.packages, 300, 40, 2000, '--packages');

interface Timed {
  ms: number;
  stdout: string;
}

/** Runs a command to its end and times it from spawn to exit. */
function timed(file: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Timed> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
        else resolve({ ms: performance.now() - start, stdout });
      },
    );
  });
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => quantile(sorted(xs), 0.5);
const ms = (x: number) => `${x.toFixed(1)} ms`;
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} CPUs`;

/** Part one: bare Node, --version and the no-op install, interleaved. */
async function startup(project: string, env: Record<string, string>): Promise<void> {
  const commands: [string, string[], string][] = [
    [`node -e ''`, ['-e', ''], ''],
    ['synapse pkg --version', [BIN, 'pkg', '--version'], '≤ 15 ms'],
    ['synapse pkg install (no-op)', [BIN, 'pkg', 'install'], '≤ 25 ms'],
  ];
  const times = commands.map(() => [] as number[]);
  console.log(`\n## Startup (${RUNS} rounds, interleaved; ${load()})\n`);
  // One round first, not counted: the files come into the page cache.
  for (const [, args] of commands) await timed(process.execPath, args, { cwd: project, env });
  for (let round = 0; round < RUNS; round++) {
    for (const [i, [, args]] of commands.entries()) {
      const run = await timed(process.execPath, args, { cwd: project, env });
      if (i === 2 && !/^Already up to date/.test(run.stdout)) throw new Error(`the no-op install did something: ${run.stdout}`);
      times[i]!.push(run.ms);
    }
  }
  const bare = times[0]!;
  const rows = commands.map(([label, , goal], i) => {
    const t = times[i]!;
    return [label, t.length, ms(min(t)), ms(median(t)), ms(min(t) - min(bare)), ms(median(t) - median(bare)), goal || '–'];
  });
  console.log(markdownTable(['command', 'runs', 'min', 'median', 'min over bare', 'median over bare', 'goal (over bare)'], rows));
}

interface Client {
  name: string;
  /** Empties what a scenario starts without: the cache, the lockfile, the installed folder. */
  reset(what: ('cache' | 'lock' | 'modules')[]): Promise<void>;
  install(): Promise<number>;
}

/** A client's reset: each of its three places, by path. */
function resetter(places: Record<'cache' | 'lock' | 'modules', string>): Client['reset'] {
  return async (what) => {
    for (const place of what) await rm(places[place], { recursive: true, force: true });
  };
}

function synapseClient(project: string, env: Record<string, string>, cache: string): Client {
  return {
    name: 'synapse',
    reset: resetter({ cache, lock: join(project, 'synapse.lock'), modules: join(project, 'synapse_modules') }),
    async install() {
      const run = await timed(process.execPath, [BIN, 'pkg', 'install', '--json'], { cwd: project, env });
      const summary = JSON.parse(run.stdout) as { packages: number };
      if (summary.packages !== COUNT) throw new Error(`synapse installed ${summary.packages} packages, expected ${COUNT}`);
      return run.ms;
    },
  };
}

function npmClient(project: string, origin: string, cache: string, userconfig: string): Client {
  const env = {
    npm_config_registry: `${origin}/`,
    npm_config_cache: cache,
    npm_config_userconfig: userconfig,
    npm_config_update_notifier: 'false',
  };
  return {
    name: 'npm',
    reset: resetter({ cache, lock: join(project, 'package-lock.json'), modules: join(project, 'node_modules') }),
    async install() {
      const run = await timed('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: project, env });
      // The last package of the graph is only reachable through the others: its presence means all were placed.
      await access(join(project, 'node_modules', graphName(COUNT - 1), 'package.json'));
      return run.ms;
    },
  };
}

const SCENARIOS: { label: string; runs: number; reset: ('cache' | 'lock' | 'modules')[] }[] = [
  { label: 'cold (empty cache, no lockfile)', runs: 3, reset: ['cache', 'lock', 'modules'] },
  { label: 'warm (cache + lockfile, nothing installed)', runs: 5, reset: ['modules'] },
  { label: 'no-op (nothing changed)', runs: 10, reset: [] },
];

/** Part two: each scenario, the clients alternating. */
async function compare(clients: [Client, Client]): Promise<void> {
  console.log(`\n## ${COUNT} packages: synapse and npm (${load()})\n`);
  const rows: string[][] = [];
  for (const scenario of SCENARIOS) {
    const times = clients.map(() => [] as number[]);
    for (let round = 0; round < scenario.runs; round++) {
      for (const [i, client] of clients.entries()) {
        await client.reset(scenario.reset);
        times[i]!.push(await client.install());
      }
    }
    const [ours, theirs] = times as [number[], number[]];
    rows.push([
      scenario.label,
      String(scenario.runs),
      `${ms(median(ours))} (${ms(min(ours))})`,
      `${ms(median(theirs))} (${ms(min(theirs))})`,
      (median(ours) / median(theirs)).toFixed(2),
    ]);
  }
  console.log(markdownTable(['install', 'runs each', 'synapse median (min)', 'npm median (min)', 'synapse ÷ npm'], rows));
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'synapse-cli-bench-'));
  let registry: RegistryProcess | undefined;
  let verdaccio: Verdaccio | undefined;
  const dispose = async () => {
    await registry?.stop();
    await verdaccio?.stop();
    await rm(work, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    console.error('the run took longer than 30 minutes; stopping');
    void dispose().finally(() => process.exit(2));
  }, 30 * 60_000);
  watchdog.unref();
  try {
    registry = await startRegistry({ root: ROOT });
    const started = performance.now();
    await publishGraph(`${registry.origin}/api/v1`, COUNT);
    console.log(
      `published ${COUNT} packages to our registry in ${((performance.now() - started) / 1000).toFixed(1)} s; Node ${process.version}, ${process.platform} ${process.arch}`,
    );
    const project = join(work, 'synapse-project');
    const cache = join(work, 'synapse-cache');
    const env = { SYNAPSE_REGISTRY: registry.origin, XDG_CACHE_HOME: cache, XDG_CONFIG_HOME: join(work, 'config'), CI: '1' };
    await synapseProject(project);
    const ours = synapseClient(project, env, cache);
    await ours.install();
    await startup(project, env);

    if (values['verdaccio-bin'] === undefined) {
      console.log('\n(no --verdaccio-bin: the comparison with npm and Verdaccio is skipped)');
      return;
    }
    verdaccio = await startVerdaccio(values['verdaccio-bin']);
    await publishNpmGraph(verdaccio.origin, COUNT);
    const npmDir = join(work, 'npm-project');
    await npmProject(npmDir);
    await writeFile(join(work, 'npmrc'), '');
    await compare([ours, npmClient(npmDir, verdaccio.origin, join(work, 'npm-cache'), join(work, 'npmrc'))]);
  } finally {
    clearTimeout(watchdog);
    await dispose();
  }
}

await main();
