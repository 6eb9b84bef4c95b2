/**
 * What secret scanning adds to publishing: a ~10 MB tarball of text files (random words and numbers,
 * so gzip cannot shrink it much) published again and again to three registries: one not scanning,
 * one scanning on the thread that reads the upload (REGISTRY_SECRET_SCAN_THREAD=false) and one
 * scanning on its worker thread (the default), in turn, so all see the same machine load. Per publish
 * also the CPU: the main thread's busy time (it runs this bench's client too, the same for all three),
 * the scan thread's, and the whole process's. Then the inspection pass alone, in-process, each way,
 * and the scanner alone in CPU ms a megabyte of text, against the scanner before its anchor search
 * (bench/lib/secret-scan-baseline.ts), on this bench's text and on this repository's source.
 *
 *   node --import tsx bench/publish-secrets.ts [--rounds 8] [--megabytes 10]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../packages/registry/src/config/index.ts';
import { createRegistry, type Registry } from '../packages/registry/src/server/start.ts';
import { inspectTarball } from '../packages/core/src/tarball/index.ts';
import { createSecretScanThread, type SecretScanThread } from '../packages/registry/src/tarball/secret-scan-thread.ts';
import { bigTarball, prng, textFile, withVersion } from './lib/big-tarball.ts';
import { bounded } from './lib/options.ts';
import { scanCpuPerMb, sourceText } from './lib/scan-cpu.ts';
import { mainThreadCpuMs } from './lib/thread-cpu.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, megabytes: { type: 'string' } } });
const rounds = bounded(values.rounds, 8, 1, 50, '--rounds');
const megabytes = bounded(values.megabytes, 10, 1, 50, '--megabytes');

type Mode = 'off' | 'inline' | 'thread';
const MODES: readonly Mode[] = ['off', 'inline', 'thread'];

async function start(dir: string, mode: Mode): Promise<{ registry: Registry; api: string; token: string }> {
  const config = loadConfig({
    REGISTRY_ENV: 'test',
    REGISTRY_DATA_DIR: dir,
    REGISTRY_STORAGE_PATH: join(dir, 'packages'),
    REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
    REGISTRY_SECRET_SCAN: String(mode !== 'off'),
    REGISTRY_SECRET_SCAN_THREAD: String(mode === 'thread'),
  });
  const registry = await createRegistry(config);
  await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const api = `http://127.0.0.1:${(registry.app.server.address() as { port: number }).port}/api/v1`;
  const post = (path: string, body: unknown) =>
    fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post('/auth/register', { username: 'bench', email: 'bench@example.com', password: 'a-long-passphrase-7' });
  const token = ((await (await post('/auth/login', { username: 'bench', password: 'a-long-passphrase-7' })).json()) as { token: string })
    .token;
  return { registry, api, token };
}

interface Cost {
  wall: number;
  /** The main thread's CPU ms (NaN where it cannot be read). */
  main: number;
  /** The scan thread's busy ms. */
  scan: number;
  /** CPU ms of the whole process: main thread, zlib's pool, the scan thread. */
  cpu: number;
}

async function measured(thread: SecretScanThread | null, work: () => Promise<void>): Promise<Cost> {
  const [cpu, main, busy, t] = [process.cpuUsage(), mainThreadCpuMs(), thread?.busyMs() ?? 0, performance.now()];
  await work();
  const used = process.cpuUsage(cpu);
  const mainAfter = mainThreadCpuMs();
  return {
    wall: performance.now() - t,
    main: main === null || mainAfter === null ? Number.NaN : mainAfter - main,
    scan: (thread?.busyMs() ?? 0) - busy,
    cpu: (used.user + used.system) / 1000,
  };
}

function publishOnce(target: { registry: Registry; api: string; token: string }, tgz: Buffer): Promise<Cost> {
  return measured(target.registry.deps.secretScan, async () => {
    const res = await fetch(`${target.api}/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/gzip' },
      body: new Uint8Array(tgz),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${text}`);
  });
}

const inspectOnce = (tgz: Buffer, mode: Mode, thread: SecretScanThread): Promise<Cost> =>
  measured(mode === 'thread' ? thread : null, async () => {
    await inspectTarball(Readable.from([tgz]), undefined, {
      scanSecrets: mode !== 'off',
      ...(mode === 'thread' ? { scanThread: thread } : {}),
    });
  });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const best = (xs: number[]) => Math.min(...xs);
/** CPU in 10 ms ticks is only meaningful summed over the rounds. */
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)} %`;
type Runs = Record<Mode, Cost[]>;
const runs = (): Runs => ({ off: [], inline: [], thread: [] });

function row(label: string, of: Runs, pick: (c: Cost) => number, stat: (xs: number[]) => number, added = true): string {
  const [off, inline, thread] = MODES.map((m) => stat(of[m].map(pick))) as [number, number, number];
  const more = added ? ` ${pct(inline, off)} | ${pct(thread, off)} |` : ' | |';
  return `| ${label} | ${off.toFixed(0)} ms | ${inline.toFixed(0)} ms | ${thread.toFixed(0)} ms |${more}`;
}

const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-secrets-'));
const targets = {
  off: await start(join(dir, 'off'), 'off'),
  inline: await start(join(dir, 'inline'), 'inline'),
  thread: await start(join(dir, 'thread'), 'thread'),
};
const standalone = createSecretScanThread({ onError: (error) => console.error(error) });
try {
  const sample = bigTarball('big', '0.0.1', megabytes * 1024 * 1024);
  const unpacked = (await inspectTarball(Readable.from([sample]))).unpackedSize;
  console.log(
    `tarball: ${(sample.length / 1024 / 1024).toFixed(1)} MB gzip, ${(unpacked / 1024 / 1024).toFixed(1)} MB of text files; ${rounds} publishes per side, in turn (order rotating each round)`,
  );
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} CPUs`,
  );
  // One publish each first, unmeasured: the scan thread starts on its first scan.
  await Promise.all(MODES.map((m) => publishOnce(targets[m], withVersion(sample, '0.9.0'))));
  await inspectOnce(sample, 'thread', standalone);
  const publishes = runs();
  const inspections = runs();
  for (let i = 1; i <= rounds; i++) {
    const tgz = withVersion(sample, `1.0.${i}`);
    const order = [...MODES.slice(i % 3), ...MODES.slice(0, i % 3)];
    for (const m of order) publishes[m].push(await publishOnce(targets[m], tgz));
    for (const m of order) inspections[m].push(await inspectOnce(tgz, m, standalone));
  }
  console.log(
    `load average when done: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} CPUs`,
  );
  console.log('| measure | scan off | scan inline | scan on its thread | added inline | added on thread |');
  console.log('|---|---|---|---|---|---|');
  console.log(row('publish over HTTP, median wall', publishes, (c) => c.wall, median));
  console.log(row('publish over HTTP, best wall', publishes, (c) => c.wall, best));
  console.log(row('publish, main thread CPU (mean; client included)', publishes, (c) => c.main, mean));
  console.log(row('publish, scan thread busy (mean)', publishes, (c) => c.scan, mean, false));
  console.log(row('publish, process CPU (mean; client included)', publishes, (c) => c.cpu, mean));
  console.log(row('inspection pass alone, median wall', inspections, (c) => c.wall, median));
  console.log(row('inspection pass alone, best wall', inspections, (c) => c.wall, best));
  console.log(row('inspection pass alone, main thread CPU (mean)', inspections, (c) => c.main, mean));
  console.log(row('inspection pass alone, scan thread busy (mean)', inspections, (c) => c.scan, mean, false));
  console.log(row('inspection pass alone, process CPU (mean)', inspections, (c) => c.cpu, mean));
  const corpora = {
    "this bench's text": Buffer.from(textFile(prng(7), 20 * 1024 * 1024)),
    "this repository's packages/*/src/*.ts": sourceText(process.cwd(), 20 * 1024 * 1024),
  };
  console.log('\n| scanner alone, CPU a MB of text (best of 5, 20 MB) | before | now |');
  console.log('|---|---|---|');
  for (const [name, text] of Object.entries(corpora)) {
    const [before, now] = scanCpuPerMb(text);
    console.log(`| ${name} | ${before.toFixed(2)} ms | ${now.toFixed(2)} ms |`);
  }
} finally {
  await standalone.close();
  for (const m of MODES) await targets[m].registry.close();
  await rm(dir, { recursive: true, force: true });
}
