/** One progress line of a full mirror: packages and bytes done, rates, and an ETA when the total is known. */
import type { SyncProgress } from './sync.ts';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export function formatProgress(p: SyncProgress): string {
  const seconds = Math.max(p.elapsedMs / 1000, 0.001);
  const rate = p.packages / seconds;
  const of = p.total === null ? '' : `/${p.total}`;
  const left = p.total === null ? null : Math.max(p.total - p.packages, 0);
  const eta = p.caughtUp ? 'caught up' : left === null || rate === 0 ? 'ETA unknown' : `ETA ${Math.ceil(left / rate)} s`;
  return `${p.packages}${of} packages, ${p.versions} versions, ${mb(p.bytes)} · ${rate.toFixed(1)} packages/s, ${mb(p.bytes / seconds)}/s · ${eta}`;
}
