/**
 * A bar per interval (minute, hour or day), server-rendered SVG like the package page's downloads
 * chart: each bar has a <title> (the browser's tooltip), the whole a text summary for screen readers.
 * `id` keeps the title and description ids apart when a page holds several charts.
 */
import { formatNumber } from './format.ts';

const W = 300;
const H = 120;
const TOP = 14;
const BOTTOM = 18;
const LEFT = 2;

export interface IntervalChartInput {
  id: string;
  /** What is counted, plural: `downloads`. */
  what: string;
  /** The chart's title: `Downloads per hour, last 24 hours`. */
  title: string;
  /** Oldest first, one per bar: its label and its count. */
  bars: Array<{ label: string; value: number }>;
}

export function intervalChart({ id, what, title, bars }: IntervalChartInput): string {
  const values = bars.map((b) => b.value);
  const max = Math.max(1, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const step = (W - LEFT * 2) / Math.max(1, bars.length);
  const plot = H - TOP - BOTTOM;
  const rects = bars
    .map((bar, i) => {
      const h = bar.value === 0 ? 0 : Math.max(1, (bar.value / max) * plot);
      const x = (LEFT + i * step).toFixed(2);
      const y = (TOP + plot - h).toFixed(1);
      return `<rect x="${x}" y="${y}" width="${Math.max(0.8, step - 0.6).toFixed(2)}" height="${h.toFixed(1)}"><title>${escape(bar.label)}: ${formatNumber(bar.value)}</title></rect>`;
    })
    .join('');
  const first = escape(bars[0]?.label ?? '');
  const last = escape(bars[bars.length - 1]?.label ?? '');
  const busiest = total === 0 ? 0 : max;
  const summary = `${formatNumber(total)} ${escape(what)} from ${first} to ${last}; the busiest interval had ${formatNumber(busiest)}.`;
  return (
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t ${id}-d">` +
    `<title id="${id}-t">${escape(title)}</title><desc id="${id}-d">${summary}</desc>` +
    `<line x1="0" y1="${TOP + plot + 0.5}" x2="${W}" y2="${TOP + plot + 0.5}"/>` +
    rects +
    `<text x="${LEFT}" y="10">${formatNumber(busiest)} max</text>` +
    `<text x="${LEFT}" y="${H - 4}">${first}</text>` +
    `<text x="${W - LEFT}" y="${H - 4}" text-anchor="end">${last}</text>` +
    `</svg>`
  );
}

/** Labels and titles are ours (times, fixed words), escaped all the same: this HTML is sent raw. */
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
