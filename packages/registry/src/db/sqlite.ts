/**
 * The embedded database: one better-sqlite3 connection in WAL mode behind Kysely, with its prepared
 * statements kept, a direct path for hot reads, and a write generation for caches of those reads.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

const STATEMENT_CACHE_SIZE = 500;
/** How often to ask SQLite whether another process committed to the file. */
const FOREIGN_WRITE_CHECK_MS = 100;

/**
 * The database holds password hashes, emails and IPs: its folder (when we create it) is 0700 and the
 * file 0600. SQLite gives the -wal and -shm files the mode of the database file, so those follow.
 * A file left 0644 by an earlier version is tightened, with the -wal and -shm beside it.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', 0o600));
    return;
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}

export interface OpenSqliteOptions {
  /**
   * Told of each statement once it has run (through Kysely or the direct read path): its duration and
   * whether it failed. Timed around the synchronous run itself, which costs two clock reads; Kysely's
   * own `log` option costs ~1.6 µs a statement (its async wrappers), a fifth of a small read.
   */
  onStatement?: (ms: number, failed: boolean) => void;
}

export function openSqlite(path: string, options: OpenSqliteOptions = {}) {
  if (path !== ':memory:' && !path.startsWith('file:')) createPrivately(path);
  const database = new BetterSqlite3(path);
  // WAL lets readers run beside the one writer; busy_timeout waits instead of failing under contention.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');

  let generation = 0;
  let counted = 0; // writes of count-only transactions, which `generation` leaves out
  // Set only inside a count-only transaction, which holds the one connection: every write
  // statement meanwhile is one of its own.
  let countOnly = false;
  const cached = withStatementCache(database, {
    onWrite: () => {
      if (countOnly) counted += 1;
      else generation += 1;
    },
    onStatement: options.onStatement,
  });
  // data_version changes when another connection commits to the file (never for this one's commits).
  const dataVersion = database.prepare('PRAGMA data_version').pluck();
  let lastDataVersion = dataVersion.get();
  let checkedAt = performance.now();

  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  const writeGeneration = (): number | undefined => {
    const now = performance.now();
    if (now - checkedAt >= FOREIGN_WRITE_CHECK_MS && database.open && !database.inTransaction) {
      checkedAt = now;
      const version = dataVersion.get();
      if (version !== lastDataVersion) {
        lastDataVersion = version;
        generation += 1;
      }
    }
    return generation;
  };
  // Asked once per turn of the event loop, not per call. The requests served in a turn were read
  // after the poll that began it returned, so they were sent before its first check: a commit another
  // process finished before a request was sent still shows on that request. Under load a turn serves
  // tens of requests, and the PRAGMA (two fcntl locks on the -shm file) was a tenth of a metadata
  // request's CPU (bench/RESULTS.md run 24).
  let checkedThisTurn = false;
  const turnEnded = () => {
    checkedThisTurn = false;
  };
  const readGeneration = (): number => {
    if (!checkedThisTurn && database.open && !database.inTransaction) {
      checkedThisTurn = true;
      setImmediate(turnEnded);
      const version = dataVersion.get();
      if (version !== lastDataVersion) {
        lastDataVersion = version;
        generation += 1;
      }
    }
    return generation + counted;
  };
  return {
    kysely,
    dialect: 'sqlite' as const,
    poolStats: () => undefined,
    writeGeneration,
    readGeneration,
    tarballGeneration: writeGeneration,
    closeListeners: async () => {},
    /** The rows now, or undefined when a transaction is open and the caller must queue. */
    readNow: <Row>(query: CompiledQuery<Row>): Promise<Row[]> | undefined => {
      if (database.inTransaction) return undefined;
      try {
        // An array binds its items as the anonymous parameters, as Kysely passes them.
        return Promise.resolve(cached.prepare(query.sql).all(query.parameters) as Row[]);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    countOnlyTransaction: <T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> =>
      kysely.transaction().execute(async (trx) => {
        countOnly = true;
        try {
          return await fn(trx);
        } finally {
          countOnly = false;
        }
      }),
  };
}

/**
 * Kysely prepares every statement anew; preparing costs more than running our small queries, so
 * keep the prepared statements by SQL text (the queries are parameterised, so the set is small).
 * Statements run synchronously to completion, so one is never used by two queries at once. Every
 * statement Kysely runs comes through here, so each one that writes calls `onWrite` just before it
 * runs.
 */
function withStatementCache(
  database: BetterSqlite3.Database,
  hooks: { onWrite: (source: string) => void; onStatement: OpenSqliteOptions['onStatement'] },
): BetterSqlite3.Database {
  const { onWrite, onStatement } = hooks;
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = database.prepare(source);
      if (onStatement) statement = timedStatement(statement, onStatement);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    // `readonly`, not `reader`: an INSERT … RETURNING reads rows and writes. (SQLite counts BEGIN and
    // COMMIT as read-only; the writes between them are what move the generation.)
    if (!statement.readonly) onWrite(source);
    return statement;
  };
  return new Proxy(database, {
    get: (target, property, receiver) => (property === 'prepare' ? prepare : Reflect.get(target, property, receiver)),
  });
}

/**
 * A prepared statement whose runs (`all`, `get`, `run`: what Kysely and the direct reads call, with
 * the parameters as one array) report their duration. Made once per cached statement.
 */
function timedStatement(statement: BetterSqlite3.Statement, onStatement: (ms: number, failed: boolean) => void): BetterSqlite3.Statement {
  const timed =
    <T>(run: (parameters: unknown) => T) =>
    (parameters: unknown): T => {
      const start = performance.now();
      try {
        const result = run(parameters);
        onStatement(performance.now() - start, false);
        return result;
      } catch (error) {
        onStatement(performance.now() - start, true);
        throw error;
      }
    };
  return {
    reader: statement.reader,
    readonly: statement.readonly,
    source: statement.source,
    all: timed((parameters) => statement.all(parameters)),
    get: timed((parameters) => statement.get(parameters)),
    run: timed((parameters) => statement.run(parameters)),
    iterate: (parameters: unknown) => statement.iterate(parameters),
  } as unknown as BetterSqlite3.Statement;
}
