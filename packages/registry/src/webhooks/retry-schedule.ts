/**
 * When a failed delivery is tried again: 30 s, 2 min, 10 min, 1 h, then every 6 h, for about 25 h in
 * all (9 attempts), each gap moved by up to ±10 % so receivers coming back from an outage are not
 * hit by every registry instance's retries in the same second.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const RETRY_GAPS_MS: readonly number[] = [30 * SECOND, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 6 * HOUR, 6 * HOUR, 6 * HOUR];
export const MAX_ATTEMPTS = RETRY_GAPS_MS.length + 1;

/** After a run of failures this long, a subscription is switched off and its owner told why. */
export const DISABLE_AFTER_MS = 3 * 24 * HOUR;

/** When attempt `attempt` (1-based) having failed, the next one runs; null when it was the last. */
export function nextAttemptAt(attempt: number, now: Date, random: () => number = Math.random): Date | null {
  const gap = RETRY_GAPS_MS[attempt - 1];
  if (gap === undefined) return null;
  const jitter = 1 + (random() * 2 - 1) * 0.1;
  return new Date(now.getTime() + Math.round(gap * jitter));
}
