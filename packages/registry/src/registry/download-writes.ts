/**
 * The SQL of a download flush: per-day counts, version and package totals, and raw log rows.
 * Each function runs in the transaction it is given (a count-only one: see RegistryDatabase).
 */
import { CompiledQuery, sql } from 'kysely';
import type { RegistryDatabase } from '../db/database.ts';
import type { Db } from '../db/users.ts';

/** Downloads of one version on one day, not yet written. */
export interface DayCount {
  versionId: number;
  packageId: number;
  day: string;
  count: number;
}

/** A raw log row: version_id, ip, user_agent, downloaded_at (ISO 8601). */
export type LogRow = [number, string, string | null, string];

const LOG_CHUNK = 500;

/**
 * The flush's statements, built once per database with Kysely and then run as plain SQL: at
 * thousands of downloads a second, building them anew for every row cost more than running them.
 * Parameters go in the order the statement lists them (noted at each). They only count, so they
 * run in count-only transactions: a flush leaves the database's caches of hot reads in place.
 */
function statements(db: Db) {
  const zero = 0;
  return {
    // version_id, day, count
    countDay: db
      .insertInto('download_counts')
      .values({ version_id: zero, day: '', count: zero })
      .onConflict((oc) => oc.columns(['version_id', 'day']).doUpdateSet({ count: sql`download_counts.count + excluded.count` }))
      .compile().sql,
    // count, id
    countVersion: db
      .updateTable('versions')
      .set({ downloads: sql`downloads + ${zero}` })
      .where('id', '=', zero)
      .compile().sql,
    // count, id
    countPackage: db
      .updateTable('packages')
      .set({ downloads: sql`downloads + ${zero}` })
      .where('id', '=', zero)
      .compile().sql,
    // version_id, ip, user_agent, downloaded_at for each of `rows` rows
    log: (rows: number) =>
      db
        .insertInto('download_log')
        .values(Array.from({ length: rows }, () => ({ version_id: zero, ip: '', user_agent: '', downloaded_at: '' })))
        .compile().sql,
  };
}

const built = new WeakMap<RegistryDatabase, ReturnType<typeof statements> & { logOf(rows: number): string }>();

export function statementsFor(db: RegistryDatabase) {
  let found = built.get(db);
  if (!found) {
    const s = statements(db.kysely);
    const logs = new Map<number, string>();
    const logOf = (rows: number) => {
      let text = logs.get(rows);
      if (text === undefined) {
        text = s.log(rows);
        logs.set(rows, text);
      }
      return text;
    };
    found = { ...s, logOf };
    built.set(db, found);
  }
  return found;
}

const run = (trx: Db, text: string, parameters: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, parameters));

function sumBy(entries: DayCount[], key: 'versionId' | 'packageId'): Map<number, number> {
  const sums = new Map<number, number>();
  for (const e of entries) sums.set(e[key], (sums.get(e[key]) ?? 0) + e.count);
  return sums;
}

export type Statements = ReturnType<typeof statementsFor>;

export async function writeCounts(trx: Db, s: Statements, entries: DayCount[]): Promise<void> {
  for (const { versionId, day, count } of entries) await run(trx, s.countDay, [versionId, day, count]);
  for (const [id, count] of sumBy(entries, 'versionId')) await run(trx, s.countVersion, [count, id]);
  for (const [id, count] of sumBy(entries, 'packageId')) await run(trx, s.countPackage, [count, id]);
}

export async function writeLog(trx: Db, s: Statements, rows: LogRow[]): Promise<void> {
  // Rows go in groups of 500, 50 or 1, so a handful of statement texts cover every batch size.
  for (let i = 0; i < rows.length; ) {
    const left = rows.length - i;
    const size = left >= LOG_CHUNK ? LOG_CHUNK : left >= 50 ? 50 : 1;
    const group = rows.slice(i, i + size);
    i += size;
    await run(trx, s.logOf(size), group.flat());
  }
}
