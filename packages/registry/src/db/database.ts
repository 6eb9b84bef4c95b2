/**
 * Opens the database named by the config and brings its schema up to date.
 *
 * @example
 * const db = await openDatabase({ kind: 'sqlite', path: ':memory:' });
 * await db.kysely.selectFrom('users').selectAll().execute();
 * await db.close();
 */
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql, type CompiledQuery, type KyselyConfig, type LogEvent, type Transaction } from 'kysely';
import type { DatabaseConfig } from '../config/index.ts';
import type { Database } from './schema.ts';
import { migrationProvider } from './migrations/index.ts';
import { openSqlite } from './sqlite.ts';
import { listenForInvalidations, TARBALL_CHANNEL } from './pg-invalidation.ts';

export interface RegistryDatabase {
  kysely: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs one read-only statement and returns its rows. On SQLite, when no transaction is open on
   * the connection, the prepared statement runs at once instead of queueing behind Kysely's
   * connection lock: the hottest reads (a tarball's lookup) skip the query executor. Inside a
   * transaction it waits its turn, so it never sees a write that may still roll back.
   */
  readRows<Row>(query: CompiledQuery<Row>): Promise<Row[]>;
  /**
   * A number that changes whenever a write may have changed what reads return, for caches of hot
   * reads; undefined where there is no cheap one (PostgreSQL, where other instances write too).
   * On SQLite it moves with every write statement of this process, and within 100 ms of a commit
   * by another process on the same file.
   */
  writeGeneration(): number | undefined;
  /**
   * Like writeGeneration, but it also moves with count-only writes (download flushes) and, on SQLite,
   * with another process's commit from the moment it is made (checked at every call): for a cache
   * that must show every change on the next request. Undefined on PostgreSQL.
   */
  readGeneration(): number | undefined;
  /**
   * Like writeGeneration, for tarball lookups only: on PostgreSQL it moves when any instance deletes
   * a version (LISTEN/NOTIFY, see pg-invalidation.ts), so downloads need no query per request there.
   */
  tarballGeneration(): number | undefined;
  /**
   * A transaction that only writes tables no cache keyed on the write generation holds (download
   * counters and log, the fleet reports): its writes do not move the generation, so those caches
   * survive the download flushes and fleet reports. Nothing else may be written in it.
   */
  countOnlyTransaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** PostgreSQL's connection pool now; undefined on SQLite (one connection, no pool). */
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
}

export interface OpenDatabaseOptions {
  /** Told of every statement once it has run: its duration and whether it failed (for metrics). */
  onQuery?: (ms: number, failed: boolean) => void;
}

export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<RegistryDatabase> {
  // SQLite statements run synchronously and are timed around that run (sqlite.ts); PostgreSQL's
  // through Kysely's log, whose cost is small beside a round trip.
  const opened =
    config.kind === 'sqlite'
      ? openSqlite(config.path, { onStatement: options.onQuery })
      : openPostgres(config, { log: kyselyLog(options.onQuery) });
  const { kysely, dialect, readNow, writeGeneration, readGeneration, countOnlyTransaction, poolStats, tarballGeneration, closeListeners } =
    opened;
  await migrate(kysely, dialect);
  const viaKysely = async <Row>(query: CompiledQuery<Row>) => (await kysely.executeQuery(query)).rows;
  return {
    kysely,
    dialect,
    readRows: readNow ? (query) => readNow(query) ?? viaKysely(query) : viaKysely,
    writeGeneration,
    readGeneration,
    tarballGeneration,
    poolStats,
    countOnlyTransaction,
    ping: async () => {
      await sql`SELECT 1`.execute(kysely);
    },
    close: async () => {
      await closeListeners();
      await kysely.destroy();
    },
  };
}

// int8 (ids, counts, sums) as numbers: every value we keep fits well within 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * Kysely times each statement itself when given a `log` function (two clock reads and one event object
 * a statement, next to a round trip or a prepared-statement run).
 */
function kyselyLog(onQuery: OpenDatabaseOptions['onQuery']): KyselyConfig['log'] {
  if (!onQuery) return undefined;
  return (event: LogEvent) => onQuery(event.queryDurationMillis, event.level === 'error');
}

function openPostgres(config: { url: string; poolSize: number }, options: { log: KyselyConfig['log'] }) {
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize, connectionTimeoutMillis: 5_000 });
  // A connection cut by a PostgreSQL restart emits 'error' on its client (while checked out) or on the
  // pool (while idle); unheard, either crashes the process. The query in flight fails (a 503), the pool
  // drops the broken client, and the next query opens a fresh connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
  const tarballs = listenForInvalidations(config.url, TARBALL_CHANNEL);
  return {
    kysely,
    dialect: 'postgres' as const,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    // No direct reads and no write generation: other instances write to the same database.
    readNow: undefined,
    writeGeneration: () => undefined,
    readGeneration: () => undefined,
    tarballGeneration: () => tarballs.generation(),
    closeListeners: () => tarballs.close(),
    countOnlyTransaction: <T>(fn: (trx: Transaction<Database>) => Promise<T>) => kysely.transaction().execute(fn),
  };
}

// Two processes starting on one new SQLite file both see no migration applied (SQLite takes the write
// lock only at the first write): the loser's transaction rolls back with "already exists" or "locked",
// and on a second look the winner's migrations are there. (PostgreSQL's migrator holds a lock.)
const SQLITE_MIGRATION_ATTEMPTS = 5;
const SQLITE_RACE = /already exists|database is locked|SQLITE_BUSY/;

async function migrate(kysely: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const migrator = new Migrator({ db: kysely, provider: migrationProvider(dialect) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return;
    if (dialect === 'sqlite' && attempt < SQLITE_MIGRATION_ATTEMPTS && SQLITE_RACE.test(String(error))) {
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      continue;
    }
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
