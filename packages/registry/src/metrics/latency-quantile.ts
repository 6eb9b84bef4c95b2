/**
 * Quantiles from histogram slots summed over instances and buckets, the way Prometheus'
 * `histogram_quantile` reads its buckets: find the slot holding the q-th observation, then assume
 * the observations in it are spread evenly between its bounds. A quantile that lands above the last
 * bound is reported as that bound (the histogram cannot say more).
 *
 * @example
 * quantile([0, 2, 2, 0], 0.5, [0.001, 0.0025, 0.005]) // 0.0025: the 2nd of 4 ends the second slot
 */
import { LATENCY_BUCKETS } from './families.ts';

/**
 * @param slots observations per slot, not cumulative: slot i is (bounds[i-1], bounds[i]], the last is above every bound
 * @returns seconds, or null when there is no observation
 */
export function quantile(slots: readonly number[], q: number, bounds: readonly number[] = LATENCY_BUCKETS): number | null {
  const total = slots.reduce((a, n) => a + n, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < slots.length; i++) {
    const inSlot = slots[i]!;
    if (inSlot > 0 && below + inSlot >= rank) {
      if (i >= bounds.length) return bounds[bounds.length - 1]!;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      return lower + (bounds[i]! - lower) * ((rank - below) / inSlot);
    }
    below += inSlot;
  }
  return bounds[bounds.length - 1]!;
}

/** Adds histograms slot by slot (each instance's, each bucket's) into one. */
export function sumSlots(histograms: Iterable<readonly number[]>, slots: number): number[] {
  const out = new Array<number>(slots).fill(0);
  for (const h of histograms) for (let i = 0; i < slots; i++) out[i]! += h[i] ?? 0;
  return out;
}
