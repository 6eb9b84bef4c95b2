/**
 * The first seconds after a start, by the number of listening sockets (REGISTRY_ACCEPT_LISTENERS):
 * fresh starts of the registry (as production starts it, warm-up included) with each count, and of the
 * bare `node:http` server beside them, taken in turn for several rounds so the host's drift falls on
 * all alike. Each start meets wrk's 50 connections at once (metadata paths) for `--seconds`.
 *
 * Reported per configuration, the median over the rounds: req/s, wrk's p99/p50, and with `--wire`
 * (root, tcpdump) the p99 on the loopback wire by when the request was sent (the first 0.1 s, to
 * 0.5 s, to 1 s, after) — wrk's own figure also holds its threads' waits for a core.
 *
 * Needs a Node with `reusePort` (22.12 or later on Linux): the counts above one are refused elsewhere.
 *
 * With `--roots a=DIR,b=DIR` each configuration runs from each of those checkouts (built, with their
 * own node_modules): two builds alternated start by start.
 *
 *   node --import tsx bench/first-seconds.ts [--rounds 5] [--seconds 5] [--listeners 1,4,16] [--roots a=DIR,b=DIR] [--wire]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reusePortSupported } from '../packages/registry/src/config/server.ts';
import { packageName } from './lib/corpus.ts';
import { startBareServer } from './lib/bare-process.ts';
import { bounded } from './lib/options.ts';
import { populate } from './lib/populate.ts';
import { PRODUCTION_LIKE } from './lib/production-like.ts';
import { startRegistry } from './lib/registry-process.ts';
import { quantile } from './lib/stats.ts';
import { captureWire, summarise, wireCaptureAvailable, type WireSummary } from './lib/wire-latency.ts';
import { runWrk, type WrkResult } from './lib/wrk.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    listeners: { type: 'string' },
    roots: { type: 'string' },
    wire: { type: 'boolean' },
  },
});
if (values.wire && !wireCaptureAvailable()) throw new Error('--wire needs tcpdump and the right to capture on loopback (root)');
const rounds = bounded(values.rounds, 5, 1, 21, '--rounds');
const seconds = bounded(values.seconds, 5, 2, 30, '--seconds');
const counts = (values.listeners ?? '1,4,16').split(',').map((n) => bounded(n, 1, 1, 64, '--listeners'));
if (counts.some((n) => n > 1) && !reusePortSupported()) {
  throw new Error(
    `Node ${process.versions.node} on ${process.platform} has no reusePort: run this bench with Node 22.12 or later on Linux`,
  );
}

interface Start {
  result: WrkResult;
  wire?: WireSummary;
}

/** One fresh start of a configuration, loaded from its first second; stopped after. */
type Configuration = { label: string; start: () => Promise<{ url: string; stop: () => Promise<void> }> };

async function measureStart(config: Configuration, paths: string, pcap: string): Promise<Start> {
  const server = await config.start();
  try {
    const port = Number(new URL(server.url).port);
    const capture = values.wire ? await captureWire(port, pcap) : undefined;
    let result: WrkResult;
    try {
      result = await runWrk({ url: server.url, paths, seconds });
    } catch (error) {
      await capture?.stop();
      throw error;
    }
    const samples = capture && (await capture.stop()).samples;
    return { result, wire: samples && summarise(samples) };
  } finally {
    await server.stop();
  }
}

/** `--roots`: label and checkout; this one by default. */
const roots = (values.roots?.split(',') ?? []).map((pair) => {
  const [label, dir] = pair.split('=');
  if (!label || !dir) throw new Error(`--roots takes label=DIR pairs, not ${JSON.stringify(pair)}`);
  return { label: `${label}: `, dir };
});

function configurations(dataDir: string): Configuration[] {
  const registry = (root: { label: string; dir: string }, n: number): Configuration => ({
    label: `${root.label}registry, ${n} listening socket${n === 1 ? '' : 's'}`,
    start: async () => {
      const env = { ...PRODUCTION_LIKE, REGISTRY_ACCEPT_LISTENERS: String(n) };
      const started = await startRegistry({ root: root.dir, dataDir, env });
      return { url: started.origin, stop: () => started.stop() };
    },
  });
  const registries = (roots.length > 0 ? roots : [{ label: '', dir: ROOT }]).flatMap((root) => counts.map((n) => registry(root, n)));
  return [{ label: 'bare node:http, 1 listening socket', start: () => startBareServer() }, ...registries];
}

function report(configs: Configuration[], starts: Map<string, Start[]>, loads: number[]): void {
  console.log(
    `\n${rounds} fresh starts of each, in turn; wrk 2 threads, 50 connections, ${seconds} s from the start; Node ${process.versions.node}`,
  );
  console.log(`load average during the rounds: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}\n`);
  const windowLabels = ['0–0.1 s', '0.1–0.5 s', '0.5–1 s', '1 s on', '0–1 s'];
  const wireHead = values.wire ? ` | wire p99/p50 | ${windowLabels.map((w) => `wire p99 ${w} ms`).join(' | ')} | wire p99/p50 0–1 s` : '';
  console.log(`| configuration | req/s | wrk p50 ms | wrk p99 ms | wrk p99/p50${wireHead} |`);
  console.log(`| --- | --- | --- | --- | ---${values.wire ? ' | ---'.repeat(7) : ''} |`);
  for (const { label } of configs) {
    const list = starts.get(label) ?? [];
    const m = (f: (s: Start) => number | undefined) =>
      quantile(Float64Array.from(list.map(f).filter((v): v is number => v !== undefined)).sort(), 0.5);
    const cells = [
      Math.round(m((s) => s.result.perSecond)),
      m((s) => s.result.p50Ms).toFixed(2),
      m((s) => s.result.p99Ms).toFixed(1),
      `${m((s) => s.result.p99Ms / s.result.p50Ms).toFixed(1)}×`,
    ];
    if (values.wire) {
      cells.push(`${m((s) => s.wire && s.wire.p99Ms / s.wire.p50Ms).toFixed(1)}×`);
      for (const w of windowLabels) cells.push(m((s) => s.wire?.windows.find((x) => x.label === w)?.p99Ms).toFixed(1));
      const first = (s: Start) => s.wire?.windows.find((x) => x.label === '0–1 s');
      cells.push(`${m((s) => first(s) && first(s)!.p99Ms / first(s)!.p50Ms).toFixed(1)}×`);
    }
    console.log(`| ${label} | ${cells.join(' | ')} |`);
  }
}

const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-first-'));
const dataDir = join(dir, 'data');
await mkdir(dataDir);
try {
  const first = await startRegistry({ root: ROOT, dataDir, env: PRODUCTION_LIKE });
  try {
    const published = await populate({ api: `${first.origin}/api/v1`, packages: 300, versions: 5, publishers: 8 });
    if (published.failures > 0) throw new Error(`populate failed: ${published.failureSamples.join('; ')}`);
  } finally {
    await first.stop();
  }
  const paths = join(dir, 'metadata.txt');
  await writeFile(paths, `${Array.from({ length: 300 }, (_, p) => `/api/v1/packages/${packageName(p)}`).join('\n')}\n`);
  const configs = configurations(dataDir);
  const starts = new Map<string, Start[]>();
  const loads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Rotated each round, so no configuration always follows the same one.
    const order = configs.map((_, i) => configs[(i + round) % configs.length]!);
    for (const config of order) {
      loads.push(loadavg()[0]!);
      const start = await measureStart(config, paths, join(dir, 'wire.pcap'));
      starts.set(config.label, [...(starts.get(config.label) ?? []), start]);
      console.error(`round ${round + 1}: ${config.label}: ${Math.round(start.result.perSecond)} req/s, p99 ${start.result.p99Ms} ms`);
    }
  }
  report(configs, starts, loads);
} finally {
  await rm(dir, { recursive: true, force: true });
}
