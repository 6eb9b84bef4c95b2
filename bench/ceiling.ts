/**
 * The registry's hot reads against what Node itself can do on this machine, in one run: a bare
 * `node:http` server answering a fixed 2 KB JSON body (the ceiling), then the registry as `npm start`
 * runs it (SQLite + local folder) with download counting and rate limiting on (the read limit set
 * high enough that wrk is counted but never refused), loaded by wrk (2 threads, 50 connections):
 *
 * - `metadata` GET /api/v1/packages/{name}, `version` GET …/{name}/{version}, `metadata 304` the same
 *   document revalidated with If-None-Match, `tarball` GET …/{version}/tarball, `search` GET
 *   /search?q=… over the corpus's topic words and short prefixes; random per request; and metadata
 *   on 2 connections while 50 others search (a burst of searches must not hold up cheap reads);
 * - the first seconds after a restart on the same data (no warm-up: what the minute after a deploy
 *   looks like), and each target again after a warm-up, the median of three runs;
 * - the same with REGISTRY_WORKERS=2 (node:cluster), the load generator on the same two cores, beside
 *   the bare server run the same way (two node:cluster workers);
 * - the bare server's own first seconds after a start, beside the registry's (metadata, and tarballs
 *   after a restart that follows the tarball runs);
 * - with `--npm-url`, a populated npm-style registry (Verdaccio) on the same paths;
 * - Fastify with one route answering a fixed body with the registry's response headers
 *   (bench/lib/fastify-floor.ts): what the framework and those headers leave of the ceiling.
 *
 * Reported beside each row: its share of the ceiling, p99/p50 (the tail), and the load average.
 *
 * With `--wire` (root, tcpdump), each run's requests are also timed on the loopback wire
 * (bench/lib/wire-latency.ts): the server's latency without the load generator's own waits for a core,
 * and, for the first seconds after a start, split into windows (the first 0.1 s, to 0.5 s, to 1 s, after).
 *
 *   node --import tsx bench/ceiling.ts [--seconds 10] [--packages 300] [--versions 5] [--npm-url http://127.0.0.1:14873] [--wire]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { packageName, TOPICS } from './lib/corpus.ts';
import { startBareServer } from './lib/bare-process.ts';
import { bounded } from './lib/options.ts';
import { populate } from './lib/populate.ts';
import { PRODUCTION_LIKE } from './lib/production-like.ts';
import { startRegistry, type RegistryProcess } from './lib/registry-process.ts';
import { captureWire, summarise, wireCaptureAvailable, type WireSummary } from './lib/wire-latency.ts';
import { runWrk, type WrkResult } from './lib/wrk.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    packages: { type: 'string' },
    versions: { type: 'string' },
    'npm-url': { type: 'string' },
    wire: { type: 'boolean' },
  },
});
if (values.wire && !wireCaptureAvailable()) throw new Error('--wire needs tcpdump and the right to capture on loopback (root)');
const seconds = bounded(values.seconds, 10, 2, 60, '--seconds');
const packages = bounded(values.packages, 300, 10, 1000, '--packages');
const versions = bounded(values.versions, 5, 1, 10, '--versions');

interface Row {
  target: string;
  result: WrkResult;
  runs?: number[];
  load: number;
  /** With --wire: the same requests timed on the loopback wire, and segments tcpdump missed. */
  wire?: WireSummary & { dropped: number };
  /** The median over the three runs of each run's req/s against a ceiling run just before it. */
  paired?: number;
}

type Run = WrkResult & { wire?: Row['wire'] };

const rows: Row[] = [];
let ceilingRow: Row | undefined;
/** Once the ceiling is measured, its server stays up and every measured row pairs each run with one of it. */
let pairWith: { url: string; paths: string } | undefined;
const load1 = () => loadavg()[0]!;

/** One wrk run, and with --wire the same requests timed on the wire. */
async function loadRun(options: Parameters<typeof runWrk>[0]): Promise<Run> {
  if (!values.wire) return runWrk(options);
  const capture = await captureWire(Number(new URL(options.url).port), join(dir, 'wire.pcap'));
  let result: WrkResult;
  try {
    result = await runWrk(options);
  } catch (error) {
    await capture.stop();
    throw error;
  }
  const { samples, dropped } = await capture.stop();
  return { ...result, wire: { ...summarise(samples), dropped } };
}

/** A row of one run from a fresh start: the first seconds, without a warm-up. */
async function firstSeconds(target: string, url: string, paths: string): Promise<void> {
  const load = load1();
  const { wire, ...result } = await loadRun({ url, paths, seconds });
  rows.push({ target, result, load, wire });
}

/**
 * Half a run to warm up (not counted), then three; the median by req/s. Each run follows a run of the
 * ceiling (when pairing): this host's speed drifts over minutes, so the share of the ceiling is also
 * taken run by run, against the ceiling a few seconds before, and its median reported.
 */
async function measured(target: string, url: string, paths: string): Promise<Row> {
  await runWrk({ url, paths, seconds: Math.max(1, Math.round(seconds / 2)) });
  const load = load1();
  const runs: Run[] = [];
  const shares: number[] = [];
  for (let i = 0; i < 3; i++) {
    const ceiling = pairWith && (await loadRun({ ...pairWith, seconds }));
    const run = await loadRun({ url, paths, seconds });
    runs.push(run);
    if (ceiling) shares.push(run.perSecond / ceiling.perSecond);
  }
  runs.sort((a, b) => a.perSecond - b.perSecond);
  shares.sort((a, b) => a - b);
  const { wire, ...result } = runs[1]!;
  const row = { target, result, runs: runs.map((r) => Math.round(r.perSecond)), load, wire, paired: shares[1] };
  rows.push(row);
  return row;
}

/** One paths file per target (the revalidations' are written per process: writeEtags). */
async function writePaths(dir: string): Promise<Record<string, string>> {
  const names = Array.from({ length: packages }, (_, p) => packageName(p));
  const files: Record<string, string[]> = {
    metadata: names.map((n) => `/api/v1/packages/${n}`),
    version: names.flatMap((n) => Array.from({ length: versions }, (_, v) => `/api/v1/packages/${n}/1.0.${v}`)),
    tarball: names.flatMap((n) => Array.from({ length: versions }, (_, v) => `/api/v1/packages/${n}/1.0.${v}/tarball`)),
    // The corpus's topic words (each matches a few percent of the packages) and short prefixes, which
    // match many: the broad queries the search cache holds for a few seconds.
    search: [...TOPICS, 'h', 'p', 'ht', 'js', 'pa'].map((q) => `/api/v1/search?q=${q}&per_page=20`),
    npmMetadata: names.map((n) => `/${n}`),
    npmTarball: names.flatMap((n) => Array.from({ length: versions }, (_, v) => `/${n}/-/${n}-1.0.${v}.tgz`)),
    bare: ['/'],
  };
  const out: Record<string, string> = {};
  for (const [name, lines] of Object.entries(files)) {
    out[name] = join(dir, `${name}.txt`);
    await writeFile(out[name]!, `${lines.join('\n')}\n`);
  }
  return out;
}

/** `PATH<TAB>ETAG` lines: each request revalidates the copy the registry at `api` gave. */
async function writeEtags(dir: string, api: string): Promise<string> {
  const names = Array.from({ length: packages }, (_, p) => packageName(p));
  const etags = await Promise.all(names.map(async (name) => (await fetch(`${api}/packages/${name}`)).headers.get('etag') ?? ''));
  if (etags.some((e) => e === '')) throw new Error('a package document came without an ETag');
  const file = join(dir, 'etag.txt');
  await writeFile(file, `${names.map((n, i) => `/api/v1/packages/${n}\t${etags[i]}`).join('\n')}\n`);
  const check = await fetch(`${api}/packages/${names[0]}`, { headers: { 'if-none-match': etags[0]! } });
  if (check.status !== 304) throw new Error(`revalidating with the ETag just served gave ${check.status}, not 304`);
  return file;
}

async function registryOn(dataDir: string, env: Record<string, string> = {}): Promise<RegistryProcess> {
  return startRegistry({ root: ROOT, dataDir, env: { ...PRODUCTION_LIKE, ...env } });
}

async function phases(dir: string, dataDir: string): Promise<string[]> {
  const notes: string[] = [];
  const first = await registryOn(dataDir);
  let paths: Record<string, string>;
  try {
    const published = await populate({ api: `${first.origin}/api/v1`, packages, versions, publishers: 8 });
    if (published.failures > 0) throw new Error(`populate failed: ${published.failureSamples.join('; ')}`);
    paths = await writePaths(dir);
  } finally {
    await first.stop();
  }

  // The ceiling's own first seconds: what any Node server shows when 50 connections arrive at once.
  const bare = await startBareServer();
  try {
    await firstSeconds(`bare node:http, the first ${seconds} s after a start`, bare.url, paths.bare!);
    ceilingRow = await measured('bare node:http, 2 KB JSON (the ceiling)', bare.url, paths.bare!);
    pairWith = { url: bare.url, paths: paths.bare! };
    await registryPhases(dir, dataDir, paths, notes);
  } finally {
    pairWith = undefined;
    await bare.stop();
  }
  return notes;
}

/** Everything measured beside the ceiling's server (idle between its paired runs). */
async function registryPhases(dir: string, dataDir: string, paths: Record<string, string>, notes: string[]): Promise<void> {
  const floor = await startBareServer('fastify-floor.ts');
  try {
    await measured('Fastify, one route, 3 KB JSON with our response headers', floor.url, paths.metadata!);
  } finally {
    await floor.stop();
  }

  const one = await registryOn(dataDir);
  try {
    // No warm-up: the first seconds after a restart.
    await firstSeconds(`metadata, the first ${seconds} s after a restart`, one.origin, paths.metadata!);
    await measured('metadata', one.origin, paths.metadata!);
    await measured('version', one.origin, paths.version!);
    // The tags of this process's documents: a tag names the base URL, and each start has its own port.
    await measured('metadata 304 (If-None-Match)', one.origin, await writeEtags(dir, `${one.origin}/api/v1`));
    await measured('tarball', one.origin, paths.tarball!);
    await measured('search, 20 hits (topic words and 1–2 letter prefixes)', one.origin, paths.search!);
    // What a burst of searches does to the cheap reads beside it: metadata on 2 connections while 50 search.
    const searching = runWrk({ url: one.origin, paths: paths.search!, seconds: seconds + 2 });
    await delay(1000);
    rows.push({
      target: 'metadata on 2 connections, beside 50 searching',
      result: await runWrk({ url: one.origin, paths: paths.metadata!, seconds, connections: 2, threads: 1 }),
      load: load1(),
    });
    await searching;
    notes.push(`one process after its loads: RSS ${(await one.memory()).rssMb.toFixed(0)} MB`);
  } finally {
    await one.stop();
  }

  // The tarballs' first seconds after a restart, once the runs above have been counted as downloads:
  // the warm-up holds the recently downloaded ones (server/warm-paths.ts).
  const again = await registryOn(dataDir);
  try {
    await firstSeconds(`tarball, the first ${seconds} s after a restart`, again.origin, paths.tarball!);
  } finally {
    await again.stop();
  }

  // The ceiling's own shape with two workers: two servers and wrk's two threads on the same cores.
  const bareTwo = await startBareServer('bare-server.mjs', ['2']);
  try {
    await measured('bare node:http, 2 workers (node:cluster)', bareTwo.url, paths.bare!);
  } finally {
    await bareTwo.stop();
  }
  const two = await registryOn(dataDir, { REGISTRY_WORKERS: '2' });
  try {
    await measured('metadata, 2 workers', two.origin, paths.metadata!);
    await measured('tarball, 2 workers', two.origin, paths.tarball!);
  } finally {
    await two.stop();
  }
  if (values['npm-url']) {
    await measured(`npm-style registry at ${values['npm-url']}: metadata`, values['npm-url'], paths.npmMetadata!);
    await measured(`npm-style registry at ${values['npm-url']}: tarball`, values['npm-url'], paths.npmTarball!);
  }
}

function report(notes: string[]): void {
  const ceiling = ceilingRow!.result.perSecond;
  console.log(
    `\n${packages} packages × ${versions} versions; wrk 2 threads, 50 connections, ${seconds} s a run; ${availableParallelism()} CPUs\n`,
  );
  console.log('| target | req/s | of the ceiling | paired | runs | p50 ms | p99 ms | p99/p50 | non-2xx | load avg |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { target, result: r, runs, load, paired } of rows) {
    const share = `${((r.perSecond / ceiling) * 100).toFixed(0)} %`;
    const pairedShare = paired === undefined ? '–' : `${(paired * 100).toFixed(0)} %`;
    console.log(
      `| ${target} | ${Math.round(r.perSecond)} | ${share} | ${pairedShare} | ${runs?.join(', ') ?? '–'} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${(r.p99Ms / r.p50Ms).toFixed(1)}× | ${r.non2xx} | ${load.toFixed(1)} |`,
    );
  }
  if (values.wire) reportWire();
  for (const note of notes) console.log(`\n${note}`);
}

/** The rows again as the wire timed them: whole runs, then by when the request was sent. */
function reportWire(): void {
  console.log('\nThe same runs timed on the loopback wire (request segment to the first segment of its answer):\n');
  console.log('| target | requests | p50 ms | p99 ms | p99/p50 | p99 by when sent (p99/p50) | segments dropped |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const { target, wire } of rows) {
    if (!wire) continue;
    const windows = wire.windows.map((w) => `${w.label}: ${w.p99Ms.toFixed(1)} (${(w.p99Ms / w.p50Ms).toFixed(1)}×)`).join('; ');
    console.log(
      `| ${target} | ${wire.requests} | ${wire.p50Ms.toFixed(2)} | ${wire.p99Ms.toFixed(2)} | ${(wire.p99Ms / wire.p50Ms).toFixed(1)}× | ${windows} | ${wire.dropped} |`,
    );
  }
}

const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-ceiling-'));
const dataDir = join(dir, 'data');
await mkdir(dataDir);
try {
  report(await phases(dir, dataDir));
} finally {
  await rm(dir, { recursive: true, force: true });
}
