// How scripts/run-tests.mjs spreads a pass's test files over processes: in groups that share one
// process (see groupEntry in bundle-tests.mjs) of about equal expected time, longest first.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A file that needs a process of its own says so in a line starting with this. */
const OWN_PROCESS = /^\/\/ test-runner: own process/m;

const durationsFile = (durationsDir, pass) => join(durationsDir, `durations-${pass}.json`);

/** Milliseconds per test file (relative path) in the last runs of a pass here; empty when none. */
export function readDurations(durationsDir, pass) {
  try {
    return JSON.parse(readFileSync(durationsFile(durationsDir, pass), 'utf8')).files ?? {};
  } catch {
    return {};
  }
}

/** Records a run's times per file, slowest first; a filtered run keeps the other files' times. */
export function writeDurations(durationsDir, pass, { label, files }) {
  mkdirSync(durationsDir, { recursive: true });
  const merged = Object.entries({ ...readDurations(durationsDir, pass), ...files }).sort((a, b) => b[1] - a[1]);
  writeFileSync(durationsFile(durationsDir, pass), `${JSON.stringify({ label, files: Object.fromEntries(merged) }, null, 2)}\n`);
}

/**
 * Expected milliseconds per file of a pass: its time in the last run of that pass here, else a guess
 * by kind: the production suites restart registries, the browser and client ones start other processes.
 */
export function weights(durationsDir, pass) {
  const last = readDurations(durationsDir, pass);
  const guess = (f) =>
    f.startsWith('test/production/') ? 20_000 : f.startsWith('test/web/') ? 8_000 : f.startsWith('test/cli/') ? 4_000 : 1_500;
  return (f) => last[f] ?? guess(f);
}

/**
 * The entries of one pass, `{ name, files, ms }`: groups named `PASS-NN` of about `groupSize` files
 * each (at least `minGroups` of them, so a small pass still runs side by side), filled longest file
 * first into the lightest group; and the files that run alone, named by their path.
 */
export function planPass({ root, pass, files, groupSize, minGroups, weight }) {
  const alone = groupSize <= 1 ? files : files.filter((f) => OWN_PROCESS.test(readFileSync(join(root, f), 'utf8')));
  const rest = files.filter((f) => !alone.includes(f));
  const count = Math.min(rest.length, Math.max(minGroups, Math.ceil(rest.length / groupSize)));
  const bins = Array.from({ length: count }, () => ({ files: [], ms: 0 }));
  for (const f of [...rest].sort((x, y) => weight(y) - weight(x))) {
    const lightest = bins.reduce((min, bin) => (bin.ms < min.ms ? bin : min));
    lightest.files.push(f);
    lightest.ms += weight(f);
  }
  return [
    ...alone.map((f) => ({ name: f, files: [f], ms: weight(f), grouped: false })),
    ...bins.map((bin, i) => ({ name: `${pass}-${String(i + 1).padStart(2, '0')}`, files: bin.files.sort(), ms: bin.ms, grouped: true })),
  ];
}
