/**
 * What secret scanning adds to publishing: a ~10 MB tarball of text files (random words and numbers,
 * so gzip cannot shrink it much) published again and again to two registries, one scanning
 * (REGISTRY_SECRET_SCAN=true, the default) and one not, alternating A, B, A, B … so both see the same
 * machine load. Also the inspection pass alone, in-process, with and without the scan (CPU time), and
 * the scanner alone in CPU ms a megabyte of text, against the scanner before its anchor search
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
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadConfig } from '../src/config/index.ts';
import { createRegistry, type Registry } from '../src/server/start.ts';
import { inspectTarball } from '../src/tarball/index.ts';
import { buildTar } from '../test/fixtures/tarballs.ts';
import { bounded } from './lib/options.ts';
import { scanCpuPerMb, sourceText } from './lib/scan-cpu.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, megabytes: { type: 'string' } } });
const rounds = bounded(values.rounds, 8, 1, 50, '--rounds');
const megabytes = bounded(values.megabytes, 10, 1, 50, '--megabytes');

/** A deterministic PRNG, so every run publishes the same bytes. */
function prng(seed: number) {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

const WORDS = ['let', 'fn', 'return', 'match', 'value', 'config', 'token', 'registry', 'npm', 'syn', 'key', 'import', 'export', 'struct'];

function textFile(random: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const parts = Array.from({ length: 6 + Math.floor(random() * 6) }, () =>
      random() < 0.5 ? WORDS[Math.floor(random() * WORDS.length)]! : Math.floor(random() * 2 ** 48).toString(36),
    );
    const line = `${'  '.repeat(Math.floor(random() * 4))}${parts.join(' ')};`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

function bigTarball(name: string, version: string, targetBytes: number): Buffer {
  const random = prng(42);
  const files = [];
  // Add 100 KB files until the gzip reaches the target (checked every 20 files).
  let tgz = Buffer.alloc(0);
  while (tgz.length < targetBytes) {
    for (let k = 0; k < 20; k++) files.push({ path: `package/src/file${files.length}.syn`, content: textFile(random, 100_000) });
    tgz = gzipSync(buildTar([{ path: 'package/synapse.json', content: JSON.stringify({ name, version }) }, ...files]), { level: 6 });
  }
  return tgz;
}

/** The sample with another version in its manifest (the manifest is the first entry, so the rest is reused). */
function withVersion(sample: Buffer, version: string): Buffer {
  const tar = gunzipSync(sample);
  const manifest = Buffer.from(JSON.stringify({ name: 'big', version }));
  const rest = tar.subarray(512 + Math.ceil(JSON.stringify({ name: 'big', version: '0.0.1' }).length / 512) * 512);
  return gzipSync(Buffer.concat([buildTar([{ path: 'package/synapse.json', content: manifest }]).subarray(0, 1024), rest]), { level: 6 });
}

async function start(dir: string, scan: boolean): Promise<{ registry: Registry; api: string; token: string }> {
  const config = loadConfig({
    REGISTRY_ENV: 'test', REGISTRY_DATA_DIR: dir, REGISTRY_STORAGE_PATH: join(dir, 'packages'), REGISTRY_DB_URL: `sqlite://${join(dir, 'registry.db')}`,
    REGISTRY_SECRET_SCAN: String(scan),
  });
  const registry = await createRegistry(config);
  await registry.app.listen({ host: '127.0.0.1', port: 0 });
  const api = `http://127.0.0.1:${(registry.app.server.address() as { port: number }).port}/api/v1`;
  const post = (path: string, body: unknown) => fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post('/auth/register', { username: 'bench', email: 'bench@example.com', password: 'a-long-passphrase-7' });
  const token = ((await (await post('/auth/login', { username: 'bench', password: 'a-long-passphrase-7' })).json()) as { token: string }).token;
  return { registry, api, token };
}

async function publishOnce(target: { api: string; token: string }, tgz: Buffer): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${target.api}/packages`, { method: 'POST', headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/gzip' }, body: new Uint8Array(tgz) });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${text}`);
  return performance.now() - t;
}

async function inspectCpu(tgz: Buffer, scanSecrets: boolean): Promise<number> {
  const before = process.cpuUsage();
  await inspectTarball(Readable.from([tgz]), undefined, { scanSecrets });
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = await mkdtemp(join(tmpdir(), 'synapse-bench-secrets-'));
const on = await start(join(dir, 'on'), true);
const off = await start(join(dir, 'off'), false);
try {
  const sample = bigTarball('big', '0.0.1', megabytes * 1024 * 1024);
  const unpacked = (await inspectTarball(Readable.from([sample]))).unpackedSize;
  console.log(`tarball: ${(sample.length / 1024 / 1024).toFixed(1)} MB gzip, ${(unpacked / 1024 / 1024).toFixed(1)} MB of text files; ${rounds} publishes per side, alternating`);
  const times = { on: [] as number[], off: [] as number[] };
  const cpu = { on: [] as number[], off: [] as number[] };
  for (let i = 1; i <= rounds; i++) {
    const tgz = withVersion(sample, `1.0.${i}`);
    times.on.push(await publishOnce(on, tgz));
    times.off.push(await publishOnce(off, tgz));
    cpu.on.push(await inspectCpu(tgz, true));
    cpu.off.push(await inspectCpu(tgz, false));
  }
  const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  console.log(`load average when done: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
  console.log('| measure | scan off | scan on | added |');
  console.log('|---|---|---|---|');
  console.log(`| publish over HTTP, median wall | ${median(times.off).toFixed(0)} ms | ${median(times.on).toFixed(0)} ms | ${pct(median(times.on), median(times.off))} |`);
  console.log(`| publish over HTTP, best wall | ${Math.min(...times.off).toFixed(0)} ms | ${Math.min(...times.on).toFixed(0)} ms | ${pct(Math.min(...times.on), Math.min(...times.off))} |`);
  console.log(`| inspection pass alone, median CPU | ${median(cpu.off).toFixed(0)} ms | ${median(cpu.on).toFixed(0)} ms | ${pct(median(cpu.on), median(cpu.off))} |`);
  const corpora = { "this bench's text": Buffer.from(textFile(prng(7), 20 * 1024 * 1024)), "this repository's src/*.ts": sourceText(process.cwd(), 20 * 1024 * 1024) };
  console.log('\n| scanner alone, CPU a MB of text (best of 5, 20 MB) | before | now |');
  console.log('|---|---|---|');
  for (const [name, text] of Object.entries(corpora)) {
    const [before, now] = scanCpuPerMb(text);
    console.log(`| ${name} | ${before.toFixed(2)} ms | ${now.toFixed(2)} ms |`);
  }
} finally {
  await on.registry.close();
  await off.registry.close();
  await rm(dir, { recursive: true, force: true });
}
