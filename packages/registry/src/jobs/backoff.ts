/**
 * The wait before retrying a job whose handler threw: 30 s, 2 min, 8 min, 32 min, ~2 h, then 6 h,
 * each spread by ±20 % (never past 6 h) so jobs that failed together (a receiver down) do not all return together.
 */
const BASE_MS = 30_000;
const FACTOR = 4;
const CAP_MS = 6 * 3_600_000;
const JITTER = 0.2;

/** `attempt` is the run that just failed (1 for the first); `random` returns [0, 1). */
export function defaultBackoffMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 20));
  const base = Math.min(BASE_MS * FACTOR ** exponent, CAP_MS);
  return Math.min(Math.round(base * (1 - JITTER + 2 * JITTER * random())), CAP_MS);
}
