/**
 * Tells "the database is unreachable or restarting" apart from a bug, so a PostgreSQL restart or a
 * busy SQLite file answers 503 (retry later) instead of 500.
 */
import { RegistryError } from '../../../core/src/errors.ts';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** PostgreSQL SQLSTATEs that mean "not now" rather than "wrong query". */
const PG_STATES = new Set([
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
]);

const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|PROTOCOL|NOLFS)/;

// node-postgres and pg-pool report a lost or timed-out connection only in the message.
const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /client was closed and is not queryable/i,
  /the database connection is not open/i,
];

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * True for PostgreSQL and SQLite errors that mean the database cannot be reached or is restarting:
 * refused or reset connections, SQLSTATE class 08 and 57P01–57P03, pool timeouts, a busy SQLite.
 * Follows `cause` chains and AggregateErrors (a refused dual-stack connect).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if (error instanceof RegistryError) return error.code === 'database_unavailable';
  const { code, message, cause, errors } = error as ErrorShape;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || PG_STATES.has(code) || code.startsWith('08') || SQLITE_CODES.test(code)) return true;
  }
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** The 503 a request gets while the database is unavailable. */
export function databaseUnavailable(cause?: unknown): RegistryError {
  return new RegistryError(503, 'database_unavailable', 'The database is unavailable; try again shortly', {
    headers: { 'retry-after': '5' },
    cause,
  });
}
