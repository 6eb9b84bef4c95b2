/** Figures and tables of `bench/mix.ts`, from the per-request arrays of an open-loop run. */
import { KINDS, type Plan } from './mix-plan.ts';
import type { OpenLoopResult } from './open-loop.ts';
import { markdownTable, quantile } from './stats.ts';

export interface RunSummary {
  target: string;
  rate: number;
  scheduled: number;
  achievedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  errors: { wrongStatus: number; failed: number; unsent: number; unfinished: number };
  samples: string[];
  lagP99Ms: number;
  lagMaxMs: number;
  mbPerSecond: number;
  /** Per kind: successes of scheduled, p50 and p99 in ms. */
  kinds: Record<string, { ok: number; scheduled: number; p50Ms: number; p99Ms: number }>;
  /** 1-minute load average at the start and at the end of the run. */
  load: [number, number];
}

const sorted = (values: Iterable<number>) => Float64Array.from([...values].filter((v) => !Number.isNaN(v))).sort();

export function summarize(target: string, rate: number, plan: Plan, run: OpenLoopResult, load: [number, number]): RunSummary {
  const all = sorted(run.latencies);
  const lags = sorted(run.lags);
  const kinds: RunSummary['kinds'] = {};
  KINDS.forEach((kind, k) => {
    const mine = sorted(
      (function* () {
        for (let i = 0; i < plan.count; i++) if (plan.kinds[i] === k) yield run.latencies[i]!;
      })(),
    );
    const scheduled = plan.kinds.reduce((n, kindIndex) => n + (kindIndex === k ? 1 : 0), 0);
    kinds[kind] = { ok: mine.length, scheduled, p50Ms: quantile(mine, 0.5), p99Ms: quantile(mine, 0.99) };
  });
  return {
    target,
    rate,
    scheduled: plan.count,
    achievedPerSecond: run.ok / run.elapsedSeconds,
    p50Ms: quantile(all, 0.5),
    p99Ms: quantile(all, 0.99),
    p999Ms: quantile(all, 0.999),
    maxMs: all.at(-1) ?? Number.NaN,
    errors: { wrongStatus: run.wrongStatus, failed: run.failed, unsent: run.unsent, unfinished: run.unfinished },
    samples: run.samples,
    lagP99Ms: quantile(lags, 0.99),
    lagMaxMs: lags.at(-1) ?? Number.NaN,
    mbPerSecond: run.bytes / 2 ** 20 / run.elapsedSeconds,
    kinds,
    load,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(0));
const errorCount = (s: RunSummary) => s.errors.wrongStatus + s.errors.failed + s.errors.unsent + s.errors.unfinished;
const errorCell = (s: RunSummary) => {
  const parts = Object.entries(s.errors)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`);
  return parts.length === 0 ? '0' : `${errorCount(s)} (${parts.join(', ')})`;
};

export function mainTable(runs: readonly RunSummary[]): string {
  return markdownTable(
    [
      'target',
      'rate/s',
      'achieved ok/s',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'max ms',
      'errors',
      'generator lag p99 / max ms',
      'MB/s',
      'load avg start → end',
    ],
    runs.map((s) => [
      s.target,
      s.rate,
      s.achievedPerSecond.toFixed(0),
      ms(s.p50Ms),
      ms(s.p99Ms),
      ms(s.p999Ms),
      ms(s.maxMs),
      errorCell(s),
      `${ms(s.lagP99Ms)} / ${ms(s.lagMaxMs)}`,
      s.mbPerSecond.toFixed(1),
      `${s.load[0].toFixed(2)} → ${s.load[1].toFixed(2)}`,
    ]),
  );
}

export function kindTable(runs: readonly RunSummary[]): string {
  return markdownTable(
    ['target', 'rate/s', ...KINDS.map((k) => `${k} p50 / p99 ms (ok of scheduled)`)],
    runs.map((s) => [
      s.target,
      s.rate,
      ...KINDS.map((k) => {
        const kind = s.kinds[k]!;
        return `${ms(kind.p50Ms)} / ${ms(kind.p99Ms)} (${kind.ok}/${kind.scheduled})`;
      }),
    ]),
  );
}

export function errorSamples(runs: readonly RunSummary[]): string[] {
  return runs.filter((s) => s.samples.length > 0).map((s) => `${s.target} at ${s.rate}/s: ${s.samples.join('; ')}`);
}
