/**
 * Rows of a hot read kept per process while the database's read generation holds (SQLite: any write,
 * download flushes and other processes' commits move it; database.ts), so every change shows on the
 * next request and an unchanged row costs no query. PostgreSQL has no read generation (other
 * instances write too): there every call reads.
 */
import type { RegistryDatabase } from './database.ts';

export interface KeptRow<Row> {
  row: Row | undefined;
  /** The generation the row is current for; undefined where the database keeps none. */
  generation: number | undefined;
}

export interface GenerationRowsOptions<Row, Args> {
  /** At most this many rows per database; past it the kept rows are dropped at once. */
  entries: number;
  /** Distinct arguments must give distinct keys. */
  keyOf: (args: Args) => string;
  read: (db: RegistryDatabase, args: Args) => Promise<Row | undefined>;
}

export interface GenerationRows<Row, Args> {
  (db: RegistryDatabase, args: Args): Promise<KeptRow<Row>>;
  /** The kept row (or kept absence) at once, if one is current; undefined when it must be read. */
  peek(db: RegistryDatabase, args: Args): KeptRow<Row> | undefined;
}

/** A cached form of `read`; absent rows are kept too (a 404 is as hot as a 200). */
export function generationRows<Row, Args>(options: GenerationRowsOptions<Row, Args>): GenerationRows<Row, Args> {
  const kept = new WeakMap<RegistryDatabase, { generation: number; rows: Map<string, Row | undefined> }>();
  const peek = (db: RegistryDatabase, args: Args): KeptRow<Row> | undefined => {
    const generation = db.readGeneration();
    const cache = generation === undefined ? undefined : kept.get(db);
    if (cache === undefined || cache.generation !== generation) return undefined;
    const key = options.keyOf(args);
    return cache.rows.has(key) ? { row: cache.rows.get(key), generation } : undefined;
  };
  const read = async (db: RegistryDatabase, args: Args): Promise<KeptRow<Row>> => {
    const generation = db.readGeneration();
    if (generation === undefined) return { row: await options.read(db, args), generation };
    const key = options.keyOf(args);
    let cache = kept.get(db);
    if (!cache || cache.generation !== generation) {
      cache = { generation, rows: new Map() };
      kept.set(db, cache);
    }
    if (cache.rows.has(key)) return { row: cache.rows.get(key), generation };
    const row = await options.read(db, args);
    // Kept only if nothing was written while it was read: then it is what the database holds now.
    if (db.readGeneration() !== generation) return { row, generation: undefined };
    if (cache.rows.size >= options.entries) cache.rows.clear();
    cache.rows.set(key, row);
    return { row, generation };
  };
  return Object.assign(read, { peek });
}
