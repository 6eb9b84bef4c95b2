/**
 * The dashboard's three ranges and the bars of each: the last 60 minutes, 24 hours or 30 days, each
 * read from the fleet rows of its bars' span. A bar's key is the ISO time cut to the span's length,
 * as the rows' bucket keys are.
 */
import type { FleetSpan } from '../db/schema-fleet.ts';

export const DASHBOARD_RANGES = ['hour', 'day', 'month'] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

export interface RangeWindow {
  range: DashboardRange;
  /** What one bar covers. */
  interval: 'minute' | 'hour' | 'day';
  /** Which fleet rows hold it. */
  span: FleetSpan;
  /** Characters of an ISO time that make a bar's key (and a bucket's): 16 (minute), 13 (hour), 10 (day). */
  keyLength: 16 | 13 | 10;
  /** Every bar's key, oldest first, the last one holding `now`. */
  keys: string[];
  /** The start of the first bar. */
  from: Date;
  to: Date;
}

const MINUTE = 60_000;
const SHAPES = {
  hour: { interval: 'minute', span: 'minute', keyLength: 16, bars: 60, step: MINUTE },
  day: { interval: 'hour', span: 'hour', keyLength: 13, bars: 24, step: 60 * MINUTE },
  month: { interval: 'day', span: 'day', keyLength: 10, bars: 30, step: 24 * 60 * MINUTE },
} as const;

/** The ISO start of a bar from its key (`2026-05-01T10` → `2026-05-01T10:00:00.000Z`). */
export const keyStart = (key: string): string => key + '0000-00-00T00:00:00.000Z'.slice(key.length);

export function rangeWindow(range: DashboardRange, now: Date): RangeWindow {
  const { interval, span, keyLength, bars, step } = SHAPES[range];
  const keys: string[] = [];
  for (let i = bars - 1; i >= 0; i--) keys.push(new Date(now.getTime() - i * step).toISOString().slice(0, keyLength));
  return { range, interval, span, keyLength, keys, from: new Date(keyStart(keys[0]!)), to: now };
}
