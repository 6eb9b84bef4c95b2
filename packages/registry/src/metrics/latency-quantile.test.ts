import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { quantile, sumSlots } from './latency-quantile.ts';
import { LATENCY_BUCKETS } from './families.ts';

const BOUNDS = [0.01, 0.1, 1];
const near = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} is not ${expected}`);

describe('quantiles from histogram slots', () => {
  test('interpolates inside the slot that holds the rank, from 0 for the first slot', () => {
    // 100 requests, all in (0, 10 ms]: the median is half way, p99 at 99 %.
    near(quantile([100, 0, 0, 0], 0.5, BOUNDS), 0.005, 'p50');
    near(quantile([100, 0, 0, 0], 0.99, BOUNDS), 0.0099, 'p99');
    // 50 fast and 50 in (10, 100 ms]: the 50th ends the first slot; the 99th is 49/50 into the second.
    near(quantile([50, 50, 0, 0], 0.5, BOUNDS), 0.01, 'p50 at a slot boundary');
    near(quantile([50, 50, 0, 0], 0.99, BOUNDS), 0.01 + 0.09 * (49 / 50), 'p99');
  });

  test('empty slots are skipped, and a rank above the last bound reports the last bound', () => {
    near(quantile([0, 0, 4, 0], 0.25, BOUNDS), 0.1 + 0.9 * 0.25, 'only the third slot has requests');
    near(quantile([98, 0, 0, 2], 0.99, BOUNDS), 1, 'p99 among the slowest (over 1 s)');
    near(quantile([0, 0, 0, 5], 0.5, BOUNDS), 1, 'everything over the last bound');
  });

  test('no observation, no quantile', () => {
    assert.equal(quantile([0, 0, 0, 0], 0.5, BOUNDS), null);
    assert.equal(quantile([], 0.99, BOUNDS), null);
  });

  test("summing instances' slots gives the quantile of all their requests together", () => {
    // One instance is fast (90 requests under 10 ms), another slow (10 requests of 100 ms – 1 s).
    const fast = [90, 0, 0, 0];
    const slow = [0, 0, 10, 0];
    const fleet = sumSlots([fast, slow], 4);
    assert.deepEqual(fleet, [90, 0, 10, 0]);
    near(quantile(fleet, 0.5, BOUNDS), 0.01 * (50 / 90), 'the fleet median is among the fast ones');
    near(quantile(fleet, 0.99, BOUNDS), 0.1 + 0.9 * (9 / 10), 'the fleet p99 is among the slow ones');
    // Averaging each instance's own p99 would be wrong: (0.0099 + 0.991) / 2 ≈ 0.5.
    assert.notEqual(quantile(fleet, 0.99, BOUNDS), ((quantile(fast, 0.99, BOUNDS) ?? 0) + (quantile(slow, 0.99, BOUNDS) ?? 0)) / 2);
  });

  test("the registry's own buckets: 14 slots, the slot of an observation", () => {
    const slots = new Array(LATENCY_BUCKETS.length + 1).fill(0);
    slots[4] = 3; // (10 ms, 25 ms]
    near(quantile(slots, 1, LATENCY_BUCKETS), 0.025, 'p100 is the top of its slot');
    near(quantile(slots, 1 / 3, LATENCY_BUCKETS), 0.01 + 0.015 / 3, 'p33 is a third into it');
  });
});
