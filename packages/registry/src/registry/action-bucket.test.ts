import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refill, takeToken, type Bucket } from './action-bucket.ts';

const RULE = { burst: 3, everyMs: 10_000 };
const T0 = Date.UTC(2026, 0, 1);

/** Takes `n` times at `at`, returning each outcome and the bucket after. */
function takeMany(bucket: Bucket | undefined, n: number, at: number) {
  const outcomes: boolean[] = [];
  let current = bucket;
  let retryAfterMs: number | undefined;
  for (let i = 0; i < n; i++) {
    const result = takeToken(current, RULE, at);
    outcomes.push(result.taken);
    current = result.bucket;
    if (!result.taken) retryAfterMs = result.retryAfterMs;
  }
  return { outcomes, bucket: current!, retryAfterMs };
}

test('a missing bucket is full: the burst goes through at once, the next is refused', () => {
  const { outcomes, bucket, retryAfterMs } = takeMany(undefined, 4, T0);
  assert.deepEqual(outcomes, [true, true, true, false]);
  assert.deepEqual(bucket, { tokens: 0, refilledAt: T0 });
  assert.equal(retryAfterMs, 10_000);
});

test('one token comes back per whole interval, and the wait counts down to it', () => {
  const empty = takeMany(undefined, 3, T0).bucket;
  const early = takeToken(empty, RULE, T0 + 9_999);
  assert.equal(early.taken, false);
  assert.equal(early.taken === false && early.retryAfterMs, 1);
  const onTime = takeToken(empty, RULE, T0 + 10_000);
  assert.equal(onTime.taken, true);
  // The part of an interval already waited is kept: the next token is due 10 s after the last one.
  const after = takeToken(takeToken(empty, RULE, T0 + 14_000).bucket, RULE, T0 + 15_000);
  assert.equal(after.taken, false);
  assert.equal(after.taken === false && after.retryAfterMs, 5_000);
});

test('refill stops at the burst, and a full bucket banks no time', () => {
  const empty = takeMany(undefined, 3, T0).bucket;
  const later = T0 + 1_000_000;
  assert.deepEqual(refill(empty, RULE, later), { tokens: 3, refilledAt: later });
  const { outcomes, retryAfterMs } = takeMany(empty, 4, later);
  assert.deepEqual(outcomes, [true, true, true, false]);
  // A whole interval from the first take after the idle spell, not a fraction of one.
  assert.equal(retryAfterMs, 10_000);
});

test('a clock behind the one that wrote the bucket refills nothing and still says when', () => {
  const empty = takeMany(undefined, 3, T0).bucket;
  const behind = takeToken(empty, RULE, T0 - 5_000);
  assert.equal(behind.taken, false);
  assert.equal(behind.taken === false && behind.retryAfterMs, 15_000);
  assert.deepEqual(behind.bucket, empty);
});

test('a burst lowered since the bucket was written caps what it holds', () => {
  const stored = { tokens: 50, refilledAt: T0 };
  assert.deepEqual(refill(stored, RULE, T0 + 1), { tokens: 3, refilledAt: T0 + 1 });
});

test('a steady caller gets exactly one action per interval after the burst', () => {
  let bucket: Bucket | undefined;
  let granted = 0;
  // Every second for ten minutes: the burst, then one every 10 s.
  for (let s = 0; s < 600; s++) {
    const result = takeToken(bucket, RULE, T0 + s * 1_000);
    bucket = result.bucket;
    if (result.taken) granted += 1;
  }
  assert.equal(granted, 3 + 59);
});
