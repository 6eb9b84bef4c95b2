// Runs test processes for scripts/run-tests.mjs: each job is one bundle (a test file or a group of
// them) run directly by node with the spec reporter and the recap one (recap-reporter.mjs) writing to
// files, a few at a time across every pass, longest expected first. A job's output is printed whole
// when it ends, so two processes' lines never interleave.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A process that runs this long is stopped and its job failed: a hung test must not hold CI. */
const JOB_LIMIT_MS = 15 * 60_000;

/**
 * Runs `jobs` ({ id, entry, env, args }) at most `concurrency` at a time, in the order given; calls
 * `onDone(job, { status, output, recapFile, ms })` as each ends.
 */
export async function runJobs(jobs, { root, recapDir, nodeArgs, concurrency, onDone }) {
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) onDone(job, await runJob(job, { root, recapDir, nodeArgs }));
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

async function runJob(job, { root, recapDir, nodeArgs }) {
  const started = Date.now();
  const recapFile = join(recapDir, `${job.id}.json`);
  const specFile = join(recapDir, `${job.id}.txt`);
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      '--test-reporter=spec',
      `--test-reporter-destination=${specFile}`,
      `--test-reporter=${join(root, 'scripts/recap-reporter.mjs')}`,
      `--test-reporter-destination=${recapFile}`,
      job.entry,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...job.env } },
  );
  // What the tests print outside the reporter (console output, a crash's stack) follows the report.
  const chunks = [];
  child.stdout.on('data', (c) => chunks.push(c));
  child.stderr.on('data', (c) => chunks.push(c));
  const limit = setTimeout(() => child.kill('SIGKILL'), JOB_LIMIT_MS);
  const [code, signal] = await once(child, 'close');
  clearTimeout(limit);
  const report = existsSync(specFile) ? readFileSync(specFile, 'utf8') : '';
  const extra = Buffer.concat(chunks).toString('utf8');
  const status = code ?? 1;
  const why = signal
    ? `the process was stopped by ${signal}${signal === 'SIGKILL' ? ` (over ${JOB_LIMIT_MS / 60_000} minutes?)` : ''}\n`
    : '';
  return { status: signal ? 1 : status, output: `${report}${extra}${why}`, recapFile, ms: Date.now() - started };
}
