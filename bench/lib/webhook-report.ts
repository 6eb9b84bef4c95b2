/** The webhook benchmark's markdown report: one row per run, then medians and ratios. */
import { cpus, totalmem } from 'node:os';
import { markdownTable, quantile } from './stats.ts';
import type { ScenarioResult } from './webhook-scenario.ts';

export interface Labelled {
  scenario: 'A' | 'B';
  round: number;
  result: ScenarioResult;
}

interface ReportOptions {
  backend: string;
  packages: number;
  versions: number;
  publishers: number;
  subscriptions: number;
  ports: number;
  env: Record<string, string>;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

function row(run: Labelled, receiverCpuMs: number): (string | number)[] {
  const r = run.result;
  const p = r.published;
  return [
    run.round,
    run.scenario,
    r.subscriptions,
    fmt(p.perSecond),
    fmt(p.p50Ms, 1),
    fmt(p.p99Ms, 1),
    p.failures,
    fmt(r.registryCpuMs.publish / 1000, 1),
    fmt(r.registryWrittenBytes / 2 ** 20),
    r.subscriptions === 0 ? '–' : `${fmt(r.duringPublish)} of ${fmt(r.expected)}`,
    r.subscriptions === 0 ? '–' : r.drainMs === null ? 'incomplete' : fmt(r.drainMs),
    r.subscriptions === 0 ? '–' : fmt(r.deliveriesPerSec),
    r.subscriptions === 0 ? '–' : fmt(r.registryCpuMs.drain / 1000, 1),
    r.subscriptions === 0 ? '–' : fmt(receiverCpuMs / 1000, 1),
    `${fmt(r.receiver.unique)} / ${fmt(r.receiver.total)} / ${fmt(r.expected)}`,
    r.exactlyOnce ? 'yes' : '**no**',
    r.loadAverage.toFixed(1),
  ];
}

export function webhookReport(options: ReportOptions, runs: Labelled[]): string {
  // The receiver's CPU counter runs on across runs: each run's share is the step from the run before.
  let lastCpu = 0;
  const rows = runs.map((run) => {
    const step = run.result.receiver.cpuMs - lastCpu;
    lastCpu = run.result.receiver.cpuMs;
    return row(run, step);
  });
  const rate = (s: 'A' | 'B') => runs.filter((r) => r.scenario === s).map((r) => r.result.published.perSecond);
  const a = median(rate('A'));
  const b = median(rate('B'));
  const pairs = runs
    .filter((r) => r.scenario === 'B')
    .map((bRun) => {
      const aRun = runs.find((r) => r.scenario === 'A' && r.round === bRun.round);
      return aRun ? bRun.result.published.perSecond / aRun.result.published.perSecond : Number.NaN;
    });
  const per = (s: 'A' | 'B', value: (r: ScenarioResult) => number) =>
    median(runs.filter((r) => r.scenario === s).map((r) => value(r.result) / r.result.published.publishes));
  const cpu = (r: ScenarioResult) => r.registryCpuMs.publish;
  const kb = (r: ScenarioResult) => r.registryWrittenBytes / 1024;
  const bRuns = runs.filter((r) => r.scenario === 'B').map((r) => r.result);
  const drains = bRuns.map((r) => r.drainMs).filter((d): d is number => d !== null);
  const publishes = options.packages * options.versions;
  return [
    `Synapse Registry webhook publish benchmark, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30)} GiB`,
    `${options.backend === 'postgres' ? 'PostgreSQL' : 'SQLite file'} + local blob folder, loopback, development mode, rate limits and per-action limits off, logs off. ` +
      `${fmt(publishes)} publishes (${options.packages} packages × ${options.versions} versions, ~10 KB tarballs, ${options.publishers} concurrent) per run; ` +
      `B adds ${options.subscriptions} account-wide package.published subscriptions over ${options.ports} receiver ports. Fresh registry per run.` +
      (Object.keys(options.env).length > 0
        ? ` Registry environment: ${Object.entries(options.env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}.`
        : ''),
    '',
    markdownTable(
      [
        'round',
        'scenario',
        'subs',
        'publishes/s',
        'p50 ms',
        'p99 ms',
        'failed',
        'registry CPU s (publish)',
        'registry MB written (publish)',
        'delivered while publishing',
        'drain ms',
        'deliveries/s',
        'registry CPU s (drain)',
        'receiver CPU s',
        'unique / total / expected',
        'exactly once',
        'load avg',
      ],
      rows,
    ),
    '',
    `Median publishes/s: A ${fmt(a)}, B ${fmt(b)}; **B/A ${(b / a).toFixed(3)}** (per round: ${pairs.map((p) => p.toFixed(3)).join(', ')}).`,
    `Registry per publish while publishing (medians): CPU A ${fmt(per('A', cpu), 2)} ms, B ${fmt(per('B', cpu), 2)} ms; written A ${fmt(per('A', kb))} KB, B ${fmt(per('B', kb))} KB.`,
    `B: drain after the last publish median ${drains.length > 0 ? fmt(median(drains)) : '–'} ms, ` +
      `deliveries/s median ${fmt(median(bRuns.map((r) => r.deliveriesPerSec)))}; every delivery exactly once in ${bRuns.filter((r) => r.exactlyOnce).length} of ${bRuns.length} runs.`,
  ].join('\n');
}
