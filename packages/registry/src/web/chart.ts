/**
 * The downloads chart: one bar per day, server-rendered SVG, readable without JavaScript. Each bar
 * carries a <title> (the browser's own tooltip); the whole has a text summary for screen readers.
 */
import { formatNumber } from './format.ts';

const W = 300;
const H = 120;
const TOP = 14;
const BOTTOM = 18;
const LEFT = 2;

export interface ChartInput {
  /** Oldest first: `days` consecutive UTC days ending today. */
  days: string[];
  counts: Map<string, number>;
}

export function downloadsChart({ days, counts }: ChartInput): string {
  const values = days.map((d) => counts.get(d) ?? 0);
  const max = Math.max(1, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const step = (W - LEFT * 2) / days.length;
  const plot = H - TOP - BOTTOM;
  const bars = days
    .map((day, i) => {
      const v = values[i]!;
      const h = v === 0 ? 0 : Math.max(1, (v / max) * plot);
      const x = (LEFT + i * step).toFixed(2);
      const y = (TOP + plot - h).toFixed(1);
      return `<rect x="${x}" y="${y}" width="${Math.max(0.8, step - 0.6).toFixed(2)}" height="${h.toFixed(1)}"><title>${day}: ${formatNumber(v)}</title></rect>`;
    })
    .join('');
  const first = days[0] ?? '';
  const last = days[days.length - 1] ?? '';
  const summary = `${formatNumber(total)} downloads from ${first} to ${last}; the busiest day had ${formatNumber(max === 1 && total === 0 ? 0 : max)}.`;
  return (
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-t chart-d">` +
    `<title id="chart-t">Downloads per day, last ${days.length} days</title><desc id="chart-d">${summary}</desc>` +
    `<line x1="0" y1="${TOP + plot + 0.5}" x2="${W}" y2="${TOP + plot + 0.5}"/>` +
    bars +
    `<text x="${LEFT}" y="10">${formatNumber(total === 0 ? 0 : max)} max</text>` +
    `<text x="${LEFT}" y="${H - 4}">${first}</text>` +
    `<text x="${W - LEFT}" y="${H - 4}" text-anchor="end">${last}</text>` +
    `</svg>`
  );
}

let memo = { key: '', days: [] as string[] };

/** The last `n` UTC days, oldest first, ending on `now`'s day (the same list all day long, so kept). */
export function lastDays(now: Date, n: number): string[] {
  const key = `${now.toISOString().slice(0, 10)}|${n}`;
  if (memo.key === key) return memo.days;
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  memo = { key, days: out };
  return out;
}
