#!/usr/bin/env node
// Runs every *.test.ts under packages/*/src/ and test/ with node's test runner (Node 20 does not
// expand globs itself) on SQLite + a local folder, the API suite (test/api/, test/workflow.test.ts)
// again on PostgreSQL + S3 (s3rver) + Redis, and the part of it that Redis changes on PostgreSQL alone
// (see withoutRedis below). The production suites (test/production/) need all three. A suite whose
// backends are not reachable is skipped and named in the closing summary with the reason; with
// REGISTRY_REQUIRE_BACKENDS=1 (set by .ci/run) a skip fails the run. The three passes share one queue
// of processes (test-jobs.mjs), each running a group of files (test-plan.mjs).
//
//   npm test                 everything
//   npm test -- publish      only files whose path contains "publish" (every backend)
//   REGISTRY_TEST_BACKENDS=sqlite npm test    only the SQLite pass
//   REGISTRY_TEST_BUNDLE=0 npm test           the sources through tsx instead of bundles (see bundle-tests.mjs)
//   REGISTRY_TEST_CONCURRENCY=4 npm test      processes at once (default 2)
//   REGISTRY_TEST_GROUP_SIZE=1 npm test       a process per test file (default: about 16 files a process)
//
// Each pass leaves the time spent per file, slowest first, in test-results/durations-BACKEND.json
// (a later run of that pass updates the files it ran), to rank the files when CI gets slow and to
// plan the next run's groups.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { checkBackends } from './check-backends.mjs';
import { bundleTests, sourceOfBundle } from './bundle-tests.mjs';
import { runJobs } from './test-jobs.mjs';
import { planPass, weights, writeDurations } from './test-plan.mjs';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
const required = process.env.REGISTRY_REQUIRE_BACKENDS === '1';
const wanted = (process.env.REGISTRY_TEST_BACKENDS ?? 'sqlite,postgres,postgres-s3').split(',');

function walk(dir, out) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (entry.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const sourceDirs = readdirSync(join(root, 'packages'))
  .map((p) => join('packages', p, 'src'))
  .filter((d) => existsSync(join(root, d)));
const all = [...sourceDirs, 'test']
  .flatMap((d) => walk(join(root, d), []))
  .filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)))
  .sort();
const apiSuite = all.filter((f) => f.startsWith('test/api/') || f === 'test/workflow.test.ts');
const productionSuites = all.filter((f) => f.startsWith('test/production/'));
// A registry on PostgreSQL without Redis differs from one with it only in the state Redis would hold:
// rate limits, the failed-login throttle, per-action limits and download de-duplication, all off in
// test mode until a test turns them on. Its storage is the local folder, as in the SQLite pass. So
// the PostgreSQL + local folder pass runs the API files that turn one of them on (found in their
// text, so a new one joins by itself); every API file runs in the PostgreSQL + S3 + Redis pass.
const REDIS_BACKED = /REGISTRY_RATE_LIMIT_ENABLED: 'true'|REGISTRY_LIMIT_[A-Z_]+_BURST: (?!'0')|REGISTRY_DOWNLOAD_COUNT_WINDOW_MS: (?!'0')/;
const withoutRedis = apiSuite.filter((f) => REDIS_BACKED.test(readFileSync(join(root, f), 'utf8')));

if (all.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// Each process's recap (scripts/recap-reporter.mjs), so the failures can be repeated at the very end:
// a CI log is read from its tail.
const recapDir = mkdtempSync(join(tmpdir(), 'registry-tests-'));
const skipped = [];

// The bundles are made once (bundle-tests.mjs), inside the checkout so they find node_modules.
const bundled = process.env.REGISTRY_TEST_BUNDLE !== '0';
mkdirSync(join(root, '.tmp'), { recursive: true });
const bundleDir = mkdtempSync(join(root, '.tmp', 'test-build-'));
const testFile = (f) => (isAbsolute(f) ? sourceOfBundle(root, bundleDir, f) : f);
const durationsDir = join(root, 'test-results');

// Test files run about this many to a process (see groupEntry in bundle-tests.mjs): they share its
// loaded modules and warmed-up code. The SQLite pass on 2 cores: a process per file 343 s and 552
// CPU-seconds, 8 to a process 264 s / 388 (same hour); 8 against 16 in a later hour 257 s / 386
// against 240 s / 342. 1 gives each file its own process.
const groupSize = bundled ? Number(process.env.REGISTRY_TEST_GROUP_SIZE) || 16 : 1;
// Processes at once, over every pass: two suit 2 cores, where the suite is CPU-bound (more was no faster).
const concurrency = Number(process.env.REGISTRY_TEST_CONCURRENCY) || 2;

const availability = await checkBackends();
// The production suites run in the SQLite pass when their backends answer, and are named as skipped
// when not. Once the probe found them, a suite that still skips itself would hide: it fails instead.
const productionMissing = availability.missing('postgres-s3');
const passes = [];
if (wanted.includes('sqlite')) {
  const files = productionMissing ? all.filter((f) => !productionSuites.includes(f)) : all;
  for (const f of productionMissing ? productionSuites : []) skipped.push(`${f}: ${productionMissing}`);
  const env = { REGISTRY_TEST_BACKEND: 'sqlite', ...(productionMissing ? {} : { REGISTRY_REQUIRE_BACKENDS: '1' }) };
  if (files.length > 0) passes.push({ backend: 'sqlite', label: 'SQLite + local folder (every test)', files, env });
}
for (const backend of ['postgres', 'postgres-s3']) {
  const files = backend === 'postgres' ? withoutRedis : apiSuite;
  if (!wanted.includes(backend) || files.length === 0) continue;
  const missing = availability.missing(backend);
  if (missing) {
    skipped.push(`${backend}: ${missing}`);
    continue;
  }
  const label =
    backend === 'postgres' ? 'PostgreSQL + local folder (API files using limits Redis would hold)' : 'PostgreSQL + S3 + Redis (API suite)';
  passes.push({ backend, label, files, env: { REGISTRY_TEST_BACKEND: backend } });
}
for (const pass of passes) {
  const weight = weights(durationsDir, pass.backend);
  pass.entries = planPass({ root, pass: pass.backend, files: pass.files, groupSize, minGroups: concurrency, weight });
  pass.results = [];
}

const groups = new Map(passes.flatMap((p) => p.entries.filter((e) => e.grouped).map((e) => [e.name, e.files])));
const single = [...new Set(passes.flatMap((p) => p.entries.filter((e) => !e.grouped).map((e) => e.name)))];
const bundles = bundled ? await bundleTests(root, single, bundleDir, groups) : new Map(all.map((f) => [f, f]));

// Every pass's processes in one queue, longest expected first, so no core idles at the end of a pass.
const jobs = passes
  .flatMap((pass) => pass.entries.map((e) => ({ pass, ...e, entry: bundles.get(e.name), env: pass.env })))
  .sort((x, y) => y.ms - x.ms)
  .map((job, id) => ({ ...job, id }));
for (const pass of passes) console.log(`${pass.label}: ${pass.files.length} test files in ${pass.entries.length} processes`);
const started = Date.now();
let finished = 0;
await runJobs(jobs, {
  root,
  recapDir,
  concurrency,
  nodeArgs: bundled ? ['--enable-source-maps'] : ['--import', 'tsx'],
  onDone: (job, result) => {
    finished += 1;
    const seconds = Math.round(result.ms / 1000);
    console.log(`\n=== ${job.pass.label}: ${job.name} (${job.files.length} files, ${seconds} s; ${finished} of ${jobs.length}) ===`);
    process.stdout.write(result.output);
    job.pass.results.push({ ...result, ...readRecap(result.recapFile), job });
  },
});

/** Milliseconds per test file (relative path), the test counts and the failing tests of one process. */
function readRecap(file) {
  try {
    const { files, failed, counts } = JSON.parse(readFileSync(file, 'utf8'));
    const durations = Object.entries(files).map(([f, ms]) => [testFile(f), Math.round(ms)]);
    // A file that fails outside its tests is named by its path: the bundle's, shown as the source's.
    const source = (f) => ({ ...f, name: f.name === f.file ? testFile(f.file) : f.name, file: f.file && testFile(f.file) });
    return { durations, failed: failed.map(source), counts };
  } catch {
    return { durations: [], failed: [], counts: undefined };
  }
}

const failures = [];
console.log(`\nAll passes: ${Math.round((Date.now() - started) / 1000)} s with ${concurrency} processes at once`);
for (const pass of passes) {
  const durations = pass.results.flatMap((r) => r.durations).sort((a, b) => b[1] - a[1]);
  writeDurations(durationsDir, pass.backend, { label: pass.label, files: Object.fromEntries(durations) });
  // A process that failed without a failing test (it crashed, or a file did not load) fails its pass too.
  const failed = pass.results.flatMap((r) =>
    r.status !== 0 && r.failed.length === 0 ? [{ name: `${r.job.name} exited with ${r.status}`, error: r.output.slice(-2000) }] : r.failed,
  );
  if (failed.length > 0) failures.push(pass.backend);
  const sum = (count) => pass.results.reduce((n, r) => n + (count(r.counts) ?? 0), 0);
  const counts = { tests: sum((c) => c?.tests), skipped: sum((c) => c?.skipped) };
  const busy = Math.round(pass.results.reduce((sum, r) => sum + r.ms, 0) / 1000);
  const slowest = durations.slice(0, 5).map(([f, ms]) => `${f} ${Math.round(ms / 1000)} s`);
  console.log(
    `${pass.label}: ${counts.tests} tests (${counts.skipped} skipped), ${failed.length} failing, ${busy} process-seconds; slowest files: ${slowest.join(', ')}`,
  );
  for (const f of failed) console.log(`  ✖ ${f.name} (${f.file ?? ''})\n${f.error.replace(/^/gm, '    ')}`);
}
rmSync(recapDir, { recursive: true, force: true });
rmSync(bundleDir, { recursive: true, force: true });
for (const s of skipped) console.log(`SKIPPED suite ${s}`);
if (failures.length > 0) console.log(`FAILED suites: ${failures.join(', ')}`);
if (required && skipped.length > 0) {
  console.log('REGISTRY_REQUIRE_BACKENDS=1: every backend suite must run; start PostgreSQL and Redis (see README).');
  process.exit(1);
}
process.exit(failures.length > 0 ? 1 : 0);
