/**
 * Resolver benchmarks on synthetic registries (deterministic: fixed seeds, no I/O).
 *
 *   node --import tsx bench/resolver.ts
 *
 * Each scenario is run three times to warm up, then timed; the table shows p50 and p99 (the max
 * for fewer than 100 runs). "met" compares the p50 with the goal: on a shared machine the tail
 * mostly measures the neighbours.
 */
import { performance } from 'node:perf_hooks';
import { memorySource, type RegistrySpec } from '../packages/core/src/resolver/memory-source.ts';
import { resolve, ResolutionError } from '../packages/core/src/resolver/resolve.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Spec = Record<string, Record<string, Record<string, string>>>;

/** 2,000 packages × 50 versions; every version depends on up to three later packages, no conflict. */
function wide(): { spec: Spec; root: Record<string, string>; expect: 'ok' | 'fail' } {
  const spec: Spec = {};
  const n = 2000;
  for (let i = 0; i < n; i++) {
    const versions: Record<string, Record<string, string>> = {};
    for (let v = 0; v < 50; v++) {
      const deps: Record<string, string> = {};
      for (const step of [1, 7, 31]) if (i + step < n) deps[`p${i + step}`] = `^1.${v % 10}.0`;
      versions[`1.${v}.0`] = deps;
    }
    spec[`p${i}`] = versions;
  }
  return { spec, root: { p0: '^1.0.0' }, expect: 'ok' };
}

/** Package n at version v needs package n+1 below v: each layer must step down until none is left. */
function trap(): { spec: Spec; root: Record<string, string>; expect: 'ok' | 'fail' } {
  const layers = 60;
  const versions = 50;
  const spec: Spec = {};
  for (let n = 0; n < layers; n++) {
    const entry: Record<string, Record<string, string>> = {};
    for (let v = 1; v <= versions; v++) entry[`${v}.0.0`] = n + 1 < layers ? { [`t${n + 1}`]: `<${v}.0.0` } : {};
    spec[`t${n}`] = entry;
  }
  return { spec, root: { t0: '*' }, expect: 'fail' };
}

/** 500 versions, all depending on a package that does not exist. */
function missing(): { spec: Spec; root: Record<string, string>; expect: 'ok' | 'fail' } {
  const entry: Record<string, Record<string, string>> = {};
  for (let v = 0; v < 500; v++) entry[`1.${v}.0`] = { ghost: '^1.0.0' };
  return { spec: { foo: entry }, root: { foo: '*' }, expect: 'fail' };
}

/**
 * ~300 packages shaped like a real ecosystem: a few popular low-level libraries, several majors
 * per package, newer versions tightening their ranges, and some old majors pinned by laggards.
 */
function realistic(): { spec: Spec; root: Record<string, string>; expect: 'ok' | 'fail' } {
  const rand = prng(300);
  const n = 300;
  const spec: Spec = {};
  for (let i = 0; i < n; i++) {
    const majors = 1 + Math.floor(rand() * 3);
    const entry: Record<string, Record<string, string>> = {};
    const depCount = i > n - 40 ? 0 : 1 + Math.floor(rand() * 6);
    // Dependencies point to later (lower-level) packages, biased toward the popular tail.
    const targets = new Set<number>();
    while (targets.size < depCount) targets.add(Math.min(n - 1, i + 1 + Math.floor((n - i - 1) * rand() ** 2)));
    for (let major = 1; major <= majors; major++) {
      const minors = 2 + Math.floor(rand() * 8);
      for (let minor = 0; minor < minors; minor++) {
        const deps: Record<string, string> = {};
        for (const t of targets) {
          const roll = rand();
          deps[`lib${t}`] = roll < 0.7 ? '^1.0.0' : roll < 0.9 ? `>=1.${minor % 2}.0` : '^2.0.0 || ^1.1.0';
        }
        entry[`${major}.${minor}.0`] = deps;
      }
    }
    spec[`lib${i}`] = entry;
  }
  const root: Record<string, string> = {};
  for (let i = 0; i < 25; i++) root[`lib${i * 3}`] = '*';
  return { spec, root, expect: 'ok' };
}

interface Scenario {
  name: string;
  goal: string;
  goalMs: number;
  /** Which statistic the goal is about. */
  measure: 'p50' | 'max';
  runs: number;
  build: () => { spec: RegistrySpec; root: Record<string, string>; expect: 'ok' | 'fail' };
}

const scenarios: Scenario[] = [
  { name: '2,000 packages × 50 versions, no conflict', goal: 'p50 < 300 ms', goalMs: 300, measure: 'p50', runs: 15, build: wide },
  { name: 'layered backtracking trap (60 × 50)', goal: 'p50 < 100 ms', goalMs: 100, measure: 'p50', runs: 30, build: trap },
  { name: '500 versions → missing package', goal: 'p50 < 100 ms', goalMs: 100, measure: 'p50', runs: 50, build: missing },
  { name: 'realistic ~300-package graph', goal: 'p50 < 50 ms', goalMs: 50, measure: 'p50', runs: 50, build: realistic },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

const rows: string[][] = [['scenario', 'runs', 'p50 ms', 'p99/max ms', 'goal', 'packages', 'decisions', 'conflicts', 'met']];
for (const s of scenarios) {
  const { spec, root, expect } = s.build();
  const source = memorySource(spec);
  const times: number[] = [];
  let packages = 0;
  let decisions = 0;
  let conflicts = 0;
  for (let run = -3; run < s.runs; run++) {
    const start = performance.now();
    let outcome: 'ok' | 'fail';
    try {
      const result = await resolve({ root: { dependencies: root }, source });
      outcome = 'ok';
      packages = result.packages.length;
      decisions = result.stats.decisions;
      conflicts = result.stats.conflicts;
    } catch (error) {
      if (!(error instanceof ResolutionError)) throw error;
      outcome = 'fail';
    }
    const elapsed = performance.now() - start;
    if (outcome !== expect) throw new Error(`${s.name}: expected ${expect}, got ${outcome}`);
    if (run >= 0) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const p50 = quantile(times, 0.5);
  const worst = quantile(times, 0.99);
  const measured = s.measure === 'p50' ? p50 : worst;
  rows.push([
    s.name,
    String(s.runs),
    p50.toFixed(1),
    worst.toFixed(1),
    s.goal,
    expect === 'ok' ? String(packages) : '(fails)',
    expect === 'ok' ? String(decisions) : '',
    expect === 'ok' ? String(conflicts) : '',
    measured < s.goalMs ? 'yes' : 'NO',
  ]);
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const [i, row] of rows.entries()) {
  console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log(`\nnode ${process.version}, ${process.platform}/${process.arch}; in-memory source, timings include metadata loading.`);
