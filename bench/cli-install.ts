/**
 * `synapse pkg install` on a generated graph of 300 packages, against a local registry (a child
 * process on loopback): cold (empty cache, no lockfile), warm (cache and lockfile, no
 * synapse_modules) and no-op (nothing changed). Prints wall time of the whole process and the
 * time the process reports itself (from its start, tsx loading included).
 *
 *   node --import tsx bench/cli-install.ts [packages=300]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packageTarball } from '../test/fixtures/tarballs.ts';
import { benchToken } from './lib/populate.ts';
import { startRegistry } from './lib/registry-process.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'synapse.mjs');
const COUNT = Number(process.argv[2] ?? 300);
const name = (i: number) => `graph-${String(i).padStart(3, '0')}`;

/** A DAG: package i depends on a few packages with higher numbers, so everything is reachable from the first. */
function dependenciesOf(i: number): Record<string, string> {
  const deps: Record<string, string> = {};
  for (const step of [1, 7, 31]) if (i + step < COUNT) deps[name(i + step)] = '^1.0.0';
  return deps;
}

async function publishGraph(api: string): Promise<void> {
  const token = await benchToken(api);
  // Highest first: the registry requires a dependency to exist before its dependents.
  for (let i = COUNT - 1; i >= 0; i--) {
    const tgz = packageTarball(
      { name: name(i), version: '1.0.0', description: `generated package ${i}`, dependencies: dependenciesOf(i) },
      { files: { 'README.md': `# ${name(i)}\n`, 'src/main.syn': `fn f${i}() {}\n`.repeat(20), 'src/util.syn': 'fn util() {}\n' } },
    );
    const res = await fetch(`${api}/packages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/gzip' }, body: new Uint8Array(tgz) });
    if (res.status !== 201) throw new Error(`publish ${name(i)}: ${res.status} ${await res.text()}`);
  }
}

interface Run {
  wallMs: number;
  processMs: number;
}

function install(cwd: string, env: Record<string, string>): Promise<Run> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, 'pkg', 'install', '--json'], { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`install failed: ${stderr || stdout}`));
      const summary = JSON.parse(stdout) as { time_ms: number; packages: number };
      if (summary.packages !== COUNT) return reject(new Error(`installed ${summary.packages} packages, expected ${COUNT}`));
      resolve({ wallMs: performance.now() - start, processMs: summary.time_ms });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const registry = await startRegistry({ root: ROOT });
  const work = await mkdtemp(join(tmpdir(), 'synapse-cli-bench-'));
  try {
    const t0 = performance.now();
    await publishGraph(`${registry.origin}/api/v1`);
    console.log(`published ${COUNT} packages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const project = join(work, 'project');
    const env = { SYNAPSE_REGISTRY: registry.origin, XDG_CACHE_HOME: join(work, 'cache'), XDG_CONFIG_HOME: join(work, 'config'), CI: '1' };
    const reset = async (what: ('cache' | 'modules' | 'lock')[]) => {
      if (what.includes('cache')) await rm(join(work, 'cache'), { recursive: true, force: true });
      if (what.includes('modules')) await rm(join(project, 'synapse_modules'), { recursive: true, force: true });
      if (what.includes('lock')) await rm(join(project, 'synapse.lock'), { force: true });
    };
    await rm(project, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(project, { recursive: true }));
    const deps = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [name(i), '^1.0.0']));
    await writeFile(join(project, 'synapse.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', dependencies: deps }));

    const rows: [string, Run[], string][] = [];
    const cold: Run[] = [];
    for (let i = 0; i < 3; i++) {
      await reset(['cache', 'modules', 'lock']);
      cold.push(await install(project, env));
    }
    rows.push(['cold (empty cache, no lockfile)', cold, '']);
    const warm: Run[] = [];
    for (let i = 0; i < 5; i++) {
      await reset(['modules']);
      warm.push(await install(project, env));
    }
    rows.push(['warm (cache + lockfile, no synapse_modules)', warm, '< 800 ms']);
    // The floor every command pays: node, tsx's loader and the CLI's own modules, doing nothing.
    const startup: Run[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      await new Promise((resolve, reject) => execFile(process.execPath, [BIN, 'pkg', '--help'], { env: { ...process.env, ...env } }, (e) => (e ? reject(e) : resolve(null))));
      startup.push({ wallMs: performance.now() - start, processMs: Number.NaN });
    }
    const noop: Run[] = [];
    for (let i = 0; i < 10; i++) noop.push(await install(project, env));
    rows.push(['no-op (nothing changed)', noop, '< 60 ms']);
    rows.push(['startup only (pkg --help)', startup, '']);

    console.log(`\n${COUNT} packages, ${process.platform} ${process.arch}, Node ${process.version}\n`);
    console.log('| install | runs | wall p50 | wall min | in-process p50 | goal |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const [label, runs, goal] of rows) {
      console.log(`| ${label} | ${runs.length} | ${median(runs.map((r) => r.wallMs)).toFixed(0)} ms | ${Math.min(...runs.map((r) => r.wallMs)).toFixed(0)} ms | ${median(runs.map((r) => r.processMs)).toFixed(0)} ms | ${goal} |`);
    }
  } finally {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
