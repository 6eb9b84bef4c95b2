import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryError } from '../../../core/src/errors.ts';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('connection failures, restarts and pool timeouts count as unavailable', () => {
  for (const error of [
    withCode('ECONNREFUSED'),
    withCode('ECONNRESET'),
    withCode('57P01', 'terminating connection due to administrator command'),
    withCode('57P03', 'the database system is starting up'),
    withCode('08006'),
    withCode('53300', 'sorry, too many clients already'),
    withCode('SQLITE_BUSY'),
    withCode('SQLITE_IOERR_SHORT_READ'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new AggregateError([withCode('ECONNREFUSED')], 'connect failed'),
    new Error('migration failed', { cause: withCode('ECONNRESET') }),
  ]) {
    assert.equal(isDatabaseUnavailable(error), true, String(error));
  }
});

test('query errors and other bugs do not', () => {
  for (const error of [
    withCode('23505', 'duplicate key value violates unique constraint'),
    withCode('42P01', 'relation "nope" does not exist'),
    withCode('SQLITE_CONSTRAINT_UNIQUE'),
    new TypeError('cannot read properties of undefined'),
    new RegistryError(409, 'version_exists', 'exists'),
    'ECONNREFUSED',
    null,
  ]) {
    assert.equal(isDatabaseUnavailable(error), false, String(error));
  }
});

test('the 503 names the condition and asks to retry', () => {
  const error = databaseUnavailable(withCode('ECONNREFUSED'));
  assert.equal(error.status, 503);
  assert.equal(error.code, 'database_unavailable');
  assert.equal(error.headers?.['retry-after'], '5');
  assert.equal(isDatabaseUnavailable(error), true);
});
