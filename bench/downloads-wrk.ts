/**
 * Tarball downloads measured with wrk (a multi-threaded C load generator, Debian package `wrk`),
 * because autocannon spends more CPU reading 10 KB bodies than the server spends sending them.
 * Starts the registry as a child process, populates the benchmark corpus, runs wrk, stops.
 * With `--npm-url URL` it loads a populated npm-style registry (e.g. Verdaccio) the same way.
 * Each target first gets a warm-up run (half the duration, not counted: both registries read
 * every tarball from disk once), then three measured runs; the table shows the median run.
 *
 *   node --import tsx bench/downloads-wrk.ts [seconds=10] [--npm-url http://127.0.0.1:14873]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { populate } from './lib/populate.ts';
import { startRegistry } from './lib/registry-process.ts';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const SCRIPT = `${ROOT}bench/wrk/random-tarball.lua`;
const args = process.argv.slice(2);
const seconds = Number(args.find((a) => /^\d+$/.test(a)) ?? 10);
const npmUrl = args.includes('--npm-url') ? args[args.indexOf('--npm-url') + 1] : undefined;

async function wrk(url: string, layout: 'synapse' | 'npm', duration = seconds) {
  const { stdout } = await run('wrk', ['-t2', '-c50', `-d${duration}s`, '--latency', '-s', SCRIPT, url], {
    env: { ...process.env, LAYOUT: layout },
    timeout: (duration + 30) * 1000,
  });
  const perSecond = Number(stdout.match(/Requests\/sec:\s+([\d.]+)/)?.[1]);
  const p50 = stdout.match(/50%\s+([\d.]+\w+)/)?.[1];
  const p99 = stdout.match(/99%\s+([\d.]+\w+)/)?.[1];
  const non2xx = Number(stdout.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  return { perSecond, p50, p99, non2xx };
}

type Run = Awaited<ReturnType<typeof wrk>>;

/** Warm-up, then three runs; the median by req/s, with every run's req/s for the spread. */
async function measure(url: string, layout: 'synapse' | 'npm'): Promise<Run & { runs: number[] }> {
  await wrk(url, layout, Math.max(1, Math.round(seconds / 2)));
  const runs: Run[] = [];
  for (let i = 0; i < 3; i++) runs.push(await wrk(url, layout, seconds));
  runs.sort((a, b) => a.perSecond - b.perSecond);
  return { ...runs[1]!, runs: runs.map((r) => Math.round(r.perSecond)) };
}

const row = (target: string, r: Run & { runs: number[] }) =>
  `| ${target} | ${Math.round(r.perSecond)} | ${r.runs.join(', ')} | ${r.p50} | ${r.p99} | ${r.non2xx} |`;

const rows: string[] = [];
let peer: number | undefined;
if (npmUrl) {
  const r = await measure(npmUrl, 'npm');
  peer = r.perSecond;
  rows.push(row(`npm-style registry at ${npmUrl}`, r));
}
let ours: number | undefined;
const registry = await startRegistry({ root: ROOT });
try {
  const published = await populate({ api: `${registry.origin}/api/v1`, packages: 1000, versions: 5, publishers: 8 });
  if (published.failures > 0) throw new Error(`populate failed: ${published.failureSamples.join('; ')}`);
  const r = await measure(registry.origin, 'synapse');
  ours = r.perSecond;
  rows.push(row('Synapse Registry (SQLite + local folder)', r));
} finally {
  await registry.stop();
}
console.log(`Random tarball downloads (1,000 packages × 5 versions, ~10 KB), wrk 2 threads, 50 connections, ${seconds} s\n`);
console.log('| target | req/s (median) | the three runs | p50 | p99 | non-2xx |\n| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
if (peer && ours) console.log(`\nRatio of the medians: ${(ours / peer).toFixed(1)}×`);
