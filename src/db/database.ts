/**
 * Opens the database named by the config and brings its schema up to date.
 *
 * @example
 * const db = await openDatabase({ kind: 'sqlite', path: ':memory:' });
 * await db.kysely.selectFrom('users').selectAll().execute();
 * await db.close();
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import type { DatabaseConfig } from '../config/index.ts';
import type { Database } from './schema.ts';
import { migrationProvider } from './migrations/index.ts';

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
}

export async function openDatabase(config: DatabaseConfig): Promise<RegistryDatabase> {
  const { kysely, dialect, readNow } = config.kind === 'sqlite' ? openSqlite(config.path) : openPostgres(config);
  await migrate(kysely, dialect);
  const viaKysely = async <Row>(query: CompiledQuery<Row>) => (await kysely.executeQuery(query)).rows;
  return {
    kysely,
    dialect,
    readRows: readNow ? (query) => readNow(query) ?? viaKysely(query) : viaKysely,
    ping: async () => {
      await sql`SELECT 1`.execute(kysely);
    },
    close: () => kysely.destroy(),
  };
}

function openSqlite(path: string) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  // WAL lets readers run beside the one writer; busy_timeout waits instead of failing under contention.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const cached = withStatementCache(database);
  return {
    kysely: new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) }),
    dialect: 'sqlite' as const,
    /** The rows now, or undefined when a transaction is open and the caller must queue. */
    readNow: <Row>(query: CompiledQuery<Row>): Promise<Row[]> | undefined => {
      if (database.inTransaction) return undefined;
      try {
        return Promise.resolve(cached.prepare(query.sql).all(...query.parameters) as Row[]);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every statement anew; preparing costs more than running our small queries, so
 * keep the prepared statements by SQL text (the queries are parameterised, so the set is small).
 * Statements run synchronously to completion, so one is never used by two queries at once.
 */
function withStatementCache(database: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = database.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(database, {
    get: (target, property, receiver) => (property === 'prepare' ? prepare : Reflect.get(target, property, receiver)),
  });
}

// int8 (ids, counts, sums) as numbers: every value we keep fits well within 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

function openPostgres(config: { url: string; poolSize: number }) {
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize, connectionTimeoutMillis: 5_000 });
  // A connection cut by a PostgreSQL restart emits 'error' on its client (while checked out) or on the
  // pool (while idle); unheard, either crashes the process. The query in flight fails (a 503), the pool
  // drops the broken client, and the next query opens a fresh connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { kysely: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' as const, readNow: undefined };
}

async function migrate(kysely: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const migrator = new Migrator({ db: kysely, provider: migrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
