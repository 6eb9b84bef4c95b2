#!/usr/bin/env node
// Runs every *.test.ts under packages/*/src/ and test/ with node's test runner (Node 20 does not expand globs
// itself), then runs the API suite (test/api/, test/workflow.test.ts) again on PostgreSQL + S3
// (s3rver) + Redis, and the part of it that Redis changes on PostgreSQL alone (see withoutRedis
// below). The production suites (test/production/)
// need all three. A suite whose backends are not reachable is skipped and named in the closing summary
// with the reason; with REGISTRY_REQUIRE_BACKENDS=1 (set by .ci/run) a skip fails the run.
//
//   npm test                 everything
//   npm test -- publish      only files whose path contains "publish" (every backend)
//   REGISTRY_TEST_BACKENDS=sqlite npm test    only the SQLite pass
//   REGISTRY_TEST_BUNDLE=0 npm test           the sources through tsx instead of bundles (see bundle-tests.mjs)
//   REGISTRY_TEST_CONCURRENCY=4 npm test      files run at once per pass (default 2)
//
// Each pass leaves the time spent per file, slowest first, in test-results/durations-BACKEND.json
// (a later run of that pass, filtered or not, replaces it), to rank the files when CI gets slow.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkBackends } from './check-backends.mjs';
import { bundleTests, sourceOfBundle } from './bundle-tests.mjs';

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

// A recap of each pass (scripts/recap-reporter.mjs), so the failures can be repeated at the very end:
// a CI log is read from its tail, and the spec reporter's own summary scrolls away under later passes.
const recapDir = mkdtempSync(join(tmpdir(), 'registry-tests-'));
const recaps = [];

// Every pass runs the bundles made here once (bundle-tests.mjs), inside the checkout so they find node_modules.
const bundled = process.env.REGISTRY_TEST_BUNDLE !== '0';
mkdirSync(join(root, '.tmp'), { recursive: true });
const bundleDir = mkdtempSync(join(root, '.tmp', 'test-build-'));
const bundles = bundled ? await bundleTests(root, all, bundleDir) : new Map(all.map((f) => [f, f]));
const testFile = (f) => sourceOfBundle(root, bundleDir, f);

const durationsDir = join(root, 'test-results');

// Two files at a time suits 2 cores: the suite is CPU-bound there (3 at a time was no faster). More
// cores can take more with REGISTRY_TEST_CONCURRENCY.
const concurrency = () => Number(process.env.REGISTRY_TEST_CONCURRENCY) || 2;

function run(label, files, env) {
  const started = Date.now();
  console.log(`\n=== ${label}: ${files.length} test files ===`);
  const recapFile = join(recapDir, `${recaps.length}.json`);
  const result = spawnSync(
    process.execPath,
    [
      ...(bundled ? ['--enable-source-maps'] : ['--import', 'tsx']),
      '--test',
      `--test-concurrency=${concurrency()}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts/recap-reporter.mjs')}`,
      `--test-reporter-destination=${recapFile}`,
      ...files.map((f) => bundles.get(f)),
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  const { durations, failed } = readRecap(recapFile);
  writeDurations(env.REGISTRY_TEST_BACKEND, { label, seconds, files: Object.fromEntries(durations) });
  const slowest = durations.slice(0, 5).map(([f, ms]) => `${f} ${Math.round(ms / 1000)} s`);
  recaps.push({ label, seconds, slowest, failed });
  return result.status ?? 1;
}

/** Milliseconds per test file (relative path), slowest first, and the failing tests. */
function readRecap(file) {
  try {
    const { files, failed } = JSON.parse(readFileSync(file, 'utf8'));
    const durations = Object.entries(files)
      .map(([f, ms]) => [testFile(f), Math.round(ms)])
      .sort((a, b) => b[1] - a[1]);
    // A file that fails outside its tests is named by its path: the bundle's, shown as the source's.
    const source = (f) => ({ ...f, name: f.name === f.file ? testFile(f.file) : f.name, file: f.file && testFile(f.file) });
    return { durations, failed: failed.map(source) };
  } catch {
    return { durations: [], failed: [] };
  }
}

function writeDurations(backend, doc) {
  mkdirSync(durationsDir, { recursive: true });
  writeFileSync(join(durationsDir, `durations-${backend}.json`), `${JSON.stringify(doc, null, 2)}\n`);
}

const failures = [];
const skipped = [];
const availability = await checkBackends();
if (wanted.includes('sqlite')) {
  // The production suites run in this pass when their backends answer, and are named as skipped when
  // not. Once the probe found them, a suite that still skips itself would hide: it fails instead.
  const productionMissing = availability.missing('postgres-s3');
  const files = productionMissing ? all.filter((f) => !productionSuites.includes(f)) : all;
  for (const f of productionMissing ? productionSuites : []) skipped.push(`${f}: ${productionMissing}`);
  const env = { REGISTRY_TEST_BACKEND: 'sqlite', ...(productionMissing ? {} : { REGISTRY_REQUIRE_BACKENDS: '1' }) };
  if (files.length > 0 && run('SQLite + local folder (every test)', files, env) !== 0) failures.push('sqlite');
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
  if (run(label, files, { REGISTRY_TEST_BACKEND: backend }) !== 0) failures.push(backend);
}

console.log('');
for (const { label, seconds, failed, slowest } of recaps) {
  console.log(`${label}: ${seconds} s, ${failed.length} failing; slowest files: ${slowest.join(', ')}`);
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
