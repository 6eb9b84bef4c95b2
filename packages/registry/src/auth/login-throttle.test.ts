import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryCounterStore, type CounterStore } from './counter-store.ts';
import { createLoginThrottle, type LoginLimits } from './login-throttle.ts';

const HOUR = 3_600_000;
const limits: LoginLimits = { perAccountAndAddress: 2, perAddress: 5, perAccount: 50, windowMs: HOUR };

function setup(clock = { ms: Date.parse('2030-01-01T00:00:00Z') }) {
  const store = memoryCounterStore({ maxKeys: 1000, now: () => clock.ms });
  return { clock, throttle: createLoginThrottle({ store, limits, onError: () => {} }) };
}

test('failures are forgotten when their window ends, not before', async () => {
  const { clock, throttle } = setup();
  const attempt = () => throttle.begin({ username: 'alice', address: '192.0.2.1' });
  assert.equal((await attempt()).allowed, true);
  assert.equal((await attempt()).allowed, true);
  const refused = await attempt();
  assert.equal(refused.allowed, false);
  assert.equal(!refused.allowed && refused.retryAfterSeconds, 3600);
  clock.ms += HOUR - 1000;
  const later = await attempt();
  assert.equal(later.allowed, false);
  assert.equal(!later.allowed && later.retryAfterSeconds, 1);
  clock.ms += 1000;
  assert.equal((await attempt()).allowed, true);
});

test('refused attempts are not failures: hammering a blocked pair does not use up the account ceiling', async () => {
  const { throttle } = setup();
  for (let i = 0; i < 2; i++) assert.equal((await throttle.begin({ username: 'bob', address: '192.0.2.2' })).allowed, true);
  for (let i = 0; i < 100; i++) assert.equal((await throttle.begin({ username: 'bob', address: '192.0.2.2' })).allowed, false);
  // 2 failures so far, far under the ceiling of 50: a fresh address is not held to it.
  for (let i = 0; i < 2; i++) assert.equal((await throttle.begin({ username: 'bob', address: '192.0.2.3' })).allowed, true);
});

test('a store that fails lets the attempt through and reports the error', async () => {
  const errors: unknown[] = [];
  const broken: CounterStore = {
    add: async () => {
      throw new Error('redis down');
    },
    takeBack: async () => {},
    clear: async () => {},
  };
  const throttle = createLoginThrottle({ store: broken, limits, onError: (e) => errors.push(e) });
  const attempt = await throttle.begin({ username: 'carol', address: '192.0.2.4' });
  assert.equal(attempt.allowed, true);
  assert.equal(errors.length, 1);
});

test('the in-process store keeps at most maxKeys keys', async () => {
  const store = memoryCounterStore({ maxKeys: 3, now: () => 0 });
  for (const key of ['a', 'b', 'c', 'd']) await store.add([key], HOUR);
  // 'a' was the least recently used and is gone: it starts again from one.
  assert.deepEqual(await store.add(['a'], HOUR), [{ count: 1, ttlMs: HOUR }]);
});
