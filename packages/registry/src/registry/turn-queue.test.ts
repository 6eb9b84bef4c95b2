import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createTurnQueue } from './turn-queue.ts';

const queue = (maxWaiting = 100) => createTurnQueue({ maxWaiting, full: () => new Error('full') });

test('a task asked for in the turn another one ran in waits until the loop has turned', async () => {
  const q = queue();
  let turned = false;
  setImmediate(() => {
    turned = true;
  });
  await q.run(async () => {});
  // Asked for in the same turn, after the first one ended: without the wait it would run now.
  await q.run(async () => assert.equal(turned, true, 'the loop polled between the two tasks'));
});

test('tasks asked for at once run one at a time, first come first served, an immediate between two', async () => {
  const q = queue();
  const log: string[] = [];
  const task = (name: string) => async () => {
    log.push(`${name} starts`);
    setImmediate(() => log.push(`after ${name}`));
    await Promise.resolve();
    log.push(`${name} ends`);
  };
  await Promise.all([q.run(task('a')), q.run(task('b')), q.run(task('c'))]);
  assert.deepEqual(log, ['a starts', 'a ends', 'after a', 'b starts', 'b ends', 'after b', 'c starts', 'c ends']);
});

test('a task alone in a new turn starts at once', async () => {
  const q = queue();
  await q.run(async () => {});
  await nextTurn();
  await nextTurn();
  let started = false;
  const running = q.run(async () => {
    started = true;
  });
  assert.equal(started, true, 'started synchronously inside run()');
  await running;
});

test('past maxWaiting a task is refused at once, and the queue goes on', async () => {
  const q = queue(2);
  const ran: number[] = [];
  const runs = [1, 2, 3].map((n) => q.run(async () => void ran.push(n)));
  assert.equal(q.waiting, 2);
  await assert.rejects(
    q.run(async () => void ran.push(4)),
    /full/,
  );
  await Promise.all(runs);
  assert.deepEqual(ran, [1, 2, 3]);
  assert.equal(q.waiting, 0);
});

test('a failing task rejects its own run only', async () => {
  const q = queue();
  const failing = q.run(async () => {
    throw new Error('boom');
  });
  const next = q.run(async () => 'next');
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'next');
});
