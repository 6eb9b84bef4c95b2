/**
 * The token bucket behind each per-action limit, as crates.io keeps it: a full bucket holds `burst`
 * tokens, each action takes one, and one comes back every `everyMs`. Tokens are whole numbers and
 * the refill time moves by whole intervals, so no rounding drifts and the next token's time is exact.
 * The Redis script (action-bucket-store.ts) does the same arithmetic.
 */
import type { ActionRule } from '../config/index.ts';

export interface Bucket {
  tokens: number;
  /** Epoch milliseconds the last whole refill interval ended at (or the bucket was last full). */
  refilledAt: number;
}

export type Take =
  | { taken: true; bucket: Bucket }
  | { taken: false; bucket: Bucket /** Until the next token, at least 1. */; retryAfterMs: number };

/** A bucket as it stands at `nowMs` (no bucket is a full one). */
export function refill(bucket: Bucket | undefined, rule: ActionRule, nowMs: number): Bucket {
  if (!bucket) return { tokens: rule.burst, refilledAt: nowMs };
  // A clock behind the one that wrote the bucket (another instance's) refills nothing.
  const intervals = Math.max(0, Math.floor((nowMs - bucket.refilledAt) / rule.everyMs));
  const tokens = Math.min(rule.burst, bucket.tokens + intervals);
  // A full bucket banks no time: its next token starts coming back when one is taken.
  return { tokens, refilledAt: tokens >= rule.burst ? nowMs : bucket.refilledAt + intervals * rule.everyMs };
}

/** Takes one token if there is one; either way the bucket to store and, when refused, the wait. */
export function takeToken(bucket: Bucket | undefined, rule: ActionRule, nowMs: number): Take {
  const current = refill(bucket, rule, nowMs);
  if (current.tokens >= 1) return { taken: true, bucket: { ...current, tokens: current.tokens - 1 } };
  return { taken: false, bucket: current, retryAfterMs: Math.max(1, current.refilledAt + rule.everyMs - nowMs) };
}
