/**
 * Reading the changes feed: a page of changes after a cursor, in one order every reader sees, with
 * the cursor to ask from next. A cursor is opaque to followers ("<txid>-<id>"); a follower stores
 * `next` after it has applied the page, and resumes from it after any interruption.
 */
import { sql } from 'kysely';
import type { Db } from '../db/users.ts';

export interface Cursor {
  txid: string;
  id: number;
}

export interface ChangeView {
  cursor: string;
  kind: string;
  package: string;
  version: string | null;
  at: string;
  details: Record<string, unknown>;
}

export interface ChangesPage {
  changes: ChangeView[];
  /** Where to ask from next: the last change's cursor, or the one asked with when none came. */
  next: string;
  /** Whether the page was full: ask again at once. */
  more: boolean;
}

export const START: Cursor = { txid: '0', id: 0 };
const DIGITS = '(0|[1-9][0-9]{0,17})';
const CURSOR = new RegExp(`^${DIGITS}-${DIGITS}$`);

/** The cursor in a `since` value, or null when it is not one this registry hands out. */
export function parseCursor(text: string): Cursor | null {
  const m = CURSOR.exec(text);
  return m ? { txid: m[1]!, id: Number(m[2]) } : null;
}

export const formatCursor = (c: Cursor): string => `${c.txid}-${c.id}`;

export async function listChanges(db: Db, options: { dialect: 'sqlite' | 'postgres'; since: Cursor; limit: number }): Promise<ChangesPage> {
  const { since, limit } = options;
  // Transaction ids can pass 2^53: PostgreSQL gets the digits as text (typed bigint by the comparison).
  const txid = options.dialect === 'postgres' ? since.txid : Number(since.txid);
  let query = db
    .selectFrom('changes')
    .select(['id', 'at', 'kind', 'package', 'version', 'data', sql<string>`CAST(txid AS TEXT)`.as('tx')])
    .where(sql<boolean>`(txid, id) > (${txid}, ${since.id})`)
    .orderBy('txid')
    .orderBy('id')
    .limit(limit);
  // A transaction still running may yet commit rows that sort before rows already visible: stop
  // below the oldest one, so nothing is ever inserted behind a cursor a follower holds.
  if (options.dialect === 'postgres') query = query.where(sql<boolean>`txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`);
  const rows = await query.execute();
  const changes = rows.map((r) => ({
    cursor: formatCursor({ txid: r.tx, id: Number(r.id) }),
    kind: r.kind,
    package: r.package,
    version: r.version,
    at: r.at,
    details: JSON.parse(r.data) as Record<string, unknown>,
  }));
  return { changes, next: changes.at(-1)?.cursor ?? formatCursor(since), more: rows.length === limit };
}
