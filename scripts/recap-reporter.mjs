// A node:test reporter for scripts/run-tests.mjs: writes one JSON document with the time spent per
// test file and every failing test (with its error), so the runner can repeat them after all passes.
import { inspect } from 'node:util';

export default async function* recapReporter(source) {
  const files = new Map();
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.nesting === 0 && data.file) files.set(data.file, (files.get(data.file) ?? 0) + (data.details?.duration_ms ?? 0));
    const error = data.details?.error;
    // Suites fail because a test inside them did: that test is listed on its own.
    if (event.type === 'test:fail' && error?.failureType !== 'subtestsFailed') {
      const cause = error?.cause ?? error;
      failed.push({ name: data.name, file: data.file, error: describe(cause) });
    }
  }
  yield JSON.stringify({ files: Object.fromEntries(files), failed });
}

/** The error as printed by node, without the runner's own stack frames, at most 30 lines. */
function describe(error) {
  return inspect(error, { depth: 4 })
    .split('\n')
    .filter((line) => !/^\s+at .*(node:internal|node:async_hooks|new Promise|Array\.map)/.test(line))
    .slice(0, 30)
    .join('\n');
}
