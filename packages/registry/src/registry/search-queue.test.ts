import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryError } from '../../../core/src/errors.ts';
import { openDatabase } from '../db/database.ts';
import { SEARCH_QUEUE_LIMIT, searchQueue } from './search-queue.ts';

test(`past ${SEARCH_QUEUE_LIMIT} waiting, a search is refused at once with 503 search_busy and Retry-After, and the queue goes on`, async () => {
  const db = await openDatabase({ kind: 'sqlite', path: ':memory:' });
  try {
    const queue = searchQueue(db, { kind: 'sqlite', path: ':memory:' });
    assert.equal(searchQueue(db, { kind: 'sqlite', path: ':memory:' }), queue, 'one queue per database handle');
    let ran = 0;
    // One runs at once; SEARCH_QUEUE_LIMIT wait behind it.
    const accepted = Array.from({ length: SEARCH_QUEUE_LIMIT + 1 }, () => queue.run(async () => void ran++));
    const refused = await queue
      .run(async () => void ran++)
      .then(
        () => assert.fail('the search past the limit ran'),
        (error: unknown) => error,
      );
    assert.ok(refused instanceof RegistryError);
    assert.equal(refused.status, 503);
    assert.equal(refused.code, 'search_busy');
    assert.equal(refused.headers?.['retry-after'], '1');
    await Promise.all(accepted);
    assert.equal(ran, SEARCH_QUEUE_LIMIT + 1);
    assert.equal(await queue.run(async () => 'after'), 'after');
  } finally {
    await db.close();
  }
});
