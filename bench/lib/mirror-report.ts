/** The mirror benchmark's markdown report. */
import { cpus, totalmem } from 'node:os';
import { markdownTable } from './stats.ts';
import type { FullMirrorResult } from './mirror-scenario.ts';
import type { PullThroughResult } from './pull-through-latency.ts';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface ReportOptions {
  packages: number;
  versions: number;
  concurrency: number;
  pullNames: number;
}

export function mirrorReport(
  options: ReportOptions,
  mirror: FullMirrorResult,
  pull: PullThroughResult,
  load: Record<string, number>,
): string {
  const v = mirror.verification;
  const seconds = (mirror.first.ms + mirror.second.ms) / 1000;
  const lines = [
    `Synapse Registry mirror benchmark, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30)} GiB`,
    `Upstream: ${fmt(options.packages)} packages × ${options.versions} versions (~10 KB tarballs), SQLite + local folder, loopback; ` +
      `published in ${fmt(mirror.publish?.seconds ?? 0, 1)} s (${fmt(mirror.publish?.perSecond ?? 0)}/s).`,
    `Lifecycle before mirroring: yanked ${mirror.lifecycle?.yanked.join(', ')}; deprecated ${mirror.lifecycle?.deprecated.join(', ')}; ` +
      `deleted ${mirror.lifecycle?.deleted.join(', ')}; tagged ${mirror.lifecycle?.tagged.join(', ')}.`,
    '',
    `Full mirror (\`npm run mirror\` child process, --concurrency ${options.concurrency}, page size 200):`,
    '',
    markdownTable(
      ['run', 'seconds', 'end', 'last progress line'],
      [
        [
          '1',
          fmt(mirror.first.ms / 1000, 1),
          `SIGKILL at ≥ ${fmt(mirror.killAt)} versions in the mirror database`,
          mirror.first.lastLine ?? '(none: killed inside the first page)',
        ],
        ['2', fmt(mirror.second.ms / 1000, 1), `exit ${String(mirror.second.exit)}`, mirror.second.lastLine ?? ''],
      ],
    ),
    '',
    `Resume point: ${fmt(mirror.resume.versions)} versions were committed when the kill landed; the restart resumed from cursor ` +
      `\`${mirror.resume.cursor ?? '(none: from the start)'}\` (the last page stored before the kill; the page in flight was replayed).`,
    `Throughput over both runs, restart gap excluded (process start-up included): **${fmt(mirror.versionsPerSecond, 1)} versions/s, ` +
      `${fmt(mirror.mbPerSecond, 2)} MB/s** (${fmt(v.versions)} versions, ${fmt(v.tarballBytes / 1_048_576, 1)} MB of tarballs in ${fmt(seconds, 1)} s).`,
    `Verification through both APIs: ${fmt(v.packages)} package documents and ${fmt(v.versions)} tarball sha256s compared: ` +
      (v.differenceCount === 0
        ? '**identical**.'
        : `**${v.differenceCount} differences**:\n${v.differences.map((d) => `  - ${d}`).join('\n')}`),
    '',
    `Pull-through (REGISTRY_UPSTREAM_URL at the upstream), ${options.pullNames} packages, one request at a time:`,
    '',
    markdownTable(
      ['request', 'p50 ms', 'p99 ms', 'max ms'],
      pull.rows.map((r) => [r.title, fmt(r.p50Ms, 2), fmt(r.p99Ms, 2), fmt(r.maxMs, 2)]),
    ),
    '',
    `Uncached / cached p50: package document ${fmt(pull.documentRatio, 1)}×, tarball ${fmt(pull.tarballRatio, 1)}×.`,
    `Machine 1-minute load average at each phase's start: ${Object.entries(load)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}.`,
  ];
  return lines.join('\n');
}
