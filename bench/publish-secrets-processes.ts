/**
 * What the secret scan adds to a publish, timed as a user sees it: three registries as separate
 * processes, as `npm start` runs them (scan off; scan on the thread that reads the upload; scan on
 * its worker thread, the default), this process only their client. The same ~10 MB tarball of text
 * (bench/lib/big-tarball.ts) under a new version each round, to each registry in turn, the order
 * rotating every round so all three see the same machine. Reported: the wall time of the publish
 * request (median, p25–p75, best) and each registry's CPU over all its publishes (from /proc).
 * Unlike bench/publish-secrets.ts, the client's own work is not on the registries' threads.
 *
 * `--text source` publishes real JavaScript instead (bench/lib/big-tarball.ts).
 *
 *   node --import tsx bench/publish-secrets-processes.ts [--rounds 30] [--megabytes 10] [--text words|source]
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { bigTarball, sourceTarball, withVersion } from './lib/big-tarball.ts';
import { gunzipSync } from 'node:zlib';
import { bounded } from './lib/options.ts';
import { benchToken } from './lib/populate.ts';
import { startRegistry, type RegistryProcess } from './lib/registry-process.ts';
import { quantile } from './lib/stats.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, megabytes: { type: 'string' }, text: { type: 'string' } } });
if (values.text !== undefined && values.text !== 'words' && values.text !== 'source')
  throw new Error('--text is words (the default) or source');
const rounds = bounded(values.rounds, 30, 3, 200, '--rounds');
const megabytes = bounded(values.megabytes, 10, 1, 50, '--megabytes');
const ROOT = new URL('..', import.meta.url).pathname;

const MODES = {
  off: { REGISTRY_SECRET_SCAN: 'false' },
  inline: { REGISTRY_SECRET_SCAN: 'true', REGISTRY_SECRET_SCAN_THREAD: 'false' },
  thread: { REGISTRY_SECRET_SCAN: 'true', REGISTRY_SECRET_SCAN_THREAD: 'true' },
} as const;
type Mode = keyof typeof MODES;

interface Target {
  mode: Mode;
  registry: RegistryProcess;
  api: string;
  token: string;
  times: number[];
}

/** User + system CPU of a process so far, in ms (Linux: /proc/PID/stat, in clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function publish(target: Target, tgz: Buffer): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${target.api}/packages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/gzip' },
    body: new Uint8Array(tgz),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`${target.mode}: publish answered ${res.status}: ${text}`);
  return performance.now() - started;
}

const targets: Target[] = [];
try {
  for (const mode of Object.keys(MODES) as Mode[]) {
    const registry = await startRegistry({ root: ROOT, env: { ...MODES[mode] } });
    const api = `${registry.origin}/api/v1`;
    targets.push({ mode, registry, api, token: await benchToken(api), times: [] });
  }
  const sample =
    values.text === 'source'
      ? sourceTarball('big', '0.0.1', megabytes * 1024 * 1024, ROOT)
      : bigTarball('big', '0.0.1', megabytes * 1024 * 1024);
  const unpacked = gunzipSync(sample).length;
  console.log(
    `tarball: ${(sample.length / 1024 / 1024).toFixed(1)} MB gzip (${(unpacked / 1024 / 1024).toFixed(1)} MB of ${values.text ?? 'words'}); ${rounds} publishes per registry after one warm-up each; load average ${loadavg()[0]!.toFixed(1)} at start`,
  );
  for (const target of targets) await publish(target, withVersion(sample, '0.0.2'));
  const cpuBefore = await Promise.all(targets.map((t) => cpuMs(t.registry.pid)));
  for (let round = 0; round < rounds; round++) {
    const tgz = withVersion(sample, `1.0.${round}`);
    for (let k = 0; k < targets.length; k++) {
      const target = targets[(round + k) % targets.length]!;
      target.times.push(await publish(target, tgz));
    }
  }
  const cpuAfter = await Promise.all(targets.map((t) => cpuMs(t.registry.pid)));
  console.log(
    `load average when done: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} CPUs\n`,
  );
  console.log('| registry | median wall | p25 – p75 | best | added (median) | CPU a publish (process) | added (CPU) |');
  console.log('|---|---|---|---|---|---|---|');
  const base = targets[0]!;
  const baseMedian = quantile(
    [...base.times].sort((a, b) => a - b),
    0.5,
  );
  const baseCpu = (cpuAfter[0]! - cpuBefore[0]!) / rounds;
  targets.forEach((t, i) => {
    const sorted = [...t.times].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    const cpu = (cpuAfter[i]! - cpuBefore[i]!) / rounds;
    const pct = (a: number, b: number) => (t === base ? '–' : `${(((a - b) / b) * 100).toFixed(1)} %`);
    console.log(
      `| scan ${t.mode} | ${median.toFixed(0)} ms | ${quantile(sorted, 0.25).toFixed(0)} – ${quantile(sorted, 0.75).toFixed(0)} ms | ${sorted[0]!.toFixed(0)} ms | ${pct(median, baseMedian)} | ${cpu.toFixed(0)} ms | ${pct(cpu, baseCpu)} |`,
    );
  });
} finally {
  for (const t of targets) await t.registry.stop();
}
