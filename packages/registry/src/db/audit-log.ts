/**
 * Reading the audit log (writing is packages/registry/src/registry/audit.ts): newest first by id, each filter served by
 * an index of (column, id), so a page reads at most `offset + limit` index entries per filter.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { AuditRow, Database } from './schema.ts';
import type { Db } from './users.ts';

export interface AuditFilter {
  packageId?: number;
  /** Entries the account made or that are about it (actor or subject). */
  userId?: number;
  action?: string;
}

export interface AuditPage {
  limit: number;
  offset: number;
}

/** Counting stops here: no page reaches past it (see MAX_RESULT_WINDOW), so neither does the total. */
export const AUDIT_COUNT_CAP = 10_000;

type Query = SelectQueryBuilder<Database, 'audit_log', AuditRow>;

function filtered(db: Db, filter: AuditFilter, who?: 'actor_id' | 'subject_user_id'): Query {
  let q = db.selectFrom('audit_log').selectAll() as Query;
  if (filter.packageId !== undefined) q = q.where('package_id', '=', filter.packageId);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (who && filter.userId !== undefined) q = q.where(who, '=', filter.userId);
  return q;
}

/**
 * The matching entries, newest first, `limit` at most `upTo`. A user filter is the union of two
 * index walks (as actor, as subject), each stopped at `upTo`, rather than an OR no index serves.
 */
function matching(db: Db, filter: AuditFilter, upTo: number) {
  if (filter.userId === undefined) return filtered(db, filter).orderBy('id', 'desc').limit(upTo);
  const side = (who: 'actor_id' | 'subject_user_id') => filtered(db, filter, who).orderBy('id', 'desc').limit(upTo);
  const both = db
    .selectFrom(side('actor_id').as('a'))
    .selectAll()
    .union(db.selectFrom(side('subject_user_id').as('s')).selectAll());
  return db.selectFrom(both.as('u')).selectAll().orderBy('id', 'desc').limit(upTo);
}

/** One page of entries and the total, counted up to AUDIT_COUNT_CAP. */
export async function readAudit(db: Db, filter: AuditFilter, page: AuditPage): Promise<{ total: number; rows: AuditRow[] }> {
  const [rows, counted] = await Promise.all([
    db
      .selectFrom(matching(db, filter, page.offset + page.limit).as('m'))
      .selectAll()
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom(matching(db, filter, AUDIT_COUNT_CAP).as('c'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  ]);
  return { total: Number(counted?.n ?? 0), rows: rows as AuditRow[] };
}
