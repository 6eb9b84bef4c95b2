// A node:test reporter for scripts/run-tests.mjs: writes one JSON document with the time spent per
// test file and every failing test (with its error), so the runner can repeat them after all passes.
import { inspect } from 'node:util';

export default async function* recapReporter(source) {
  const files = new Map();
  const failed = [];
  // In a group of files run in one process (bundle-tests.mjs), each file is a top-level suite named
  // by its path: the test file of an event is the suite that started last in that process.
  const current = new Map();
  const counts = { tests: 0, skipped: 0 };
  const fileOf = (data) => (GROUPED.test(data.file ?? '') ? current.get(data.file) : data.file);
  for await (const event of source) {
    const { data } = event;
    if (event.type === 'test:start' && data.nesting === 0 && GROUPED.test(data.file ?? '')) current.set(data.file, data.name);
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const file = fileOf(data);
    if (data.details?.type !== 'suite') {
      counts.tests += 1;
      if (data.skip !== undefined || data.todo !== undefined) counts.skipped += 1;
    }
    if (data.nesting === 0 && file) files.set(file, (files.get(file) ?? 0) + (data.details?.duration_ms ?? 0));
    const error = data.details?.error;
    // Suites fail because a test inside them did: that test is listed on its own.
    if (event.type === 'test:fail' && error?.failureType !== 'subtestsFailed') {
      const cause = error?.cause ?? error;
      failed.push({ name: data.name, file, error: describe(cause) });
    }
  }
  yield JSON.stringify({ files: Object.fromEntries(files), failed, counts });
}

// With source maps on, the file is the group entry (.ts) rather than its bundle (.mjs).
const GROUPED = /\/groups\/[^/]+\.m?[jt]s$/;

/** The error as printed by node, without the runner's own stack frames, at most 30 lines. */
function describe(error) {
  return inspect(error, { depth: 4 })
    .split('\n')
    .filter((line) => !/^\s+at .*(node:internal|node:async_hooks|new Promise|Array\.map)/.test(line))
    .slice(0, 30)
    .join('\n');
}
