/** The advisory tables: writing an advisory with its packages, and the reads the API makes. */
import { sql } from 'kysely';
import type { AdvisoryRow } from '../db/schema.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { Db } from '../db/users.ts';
import type { ParsedAdvisory } from './advisory.ts';

/** A name list is sent this many at a time (SQLite's bound-parameter limit is far above it). */
const NAMES_PER_QUERY = 1_000;

const iso = (text: string) => new Date(text).toISOString();

export interface StoredAdvisory {
  advisory: ParsedAdvisory;
  /** Package id of each canonical name the advisory names (all must exist). */
  packageIds: ReadonlyMap<string, number>;
  createdBy: number | null;
  now: string;
}

function columns(advisory: ParsedAdvisory) {
  return {
    summary: advisory.summary,
    level: advisory.severity.level,
    published: iso(advisory.published),
    modified: iso(advisory.modified),
    withdrawn: advisory.withdrawn === null ? null : iso(advisory.withdrawn),
    document: JSON.stringify(advisory.document),
  };
}

async function writePackages(trx: Db, seq: number, revision: number, packageIds: ReadonlyMap<string, number>): Promise<void> {
  await trx.deleteFrom('advisory_packages').where('advisory_seq', '=', seq).execute();
  const rows = [...packageIds].map(([canonical, id]) => ({ advisory_seq: seq, package_id: id, canonical_name: canonical, revision }));
  if (rows.length > 0) await trx.insertInto('advisory_packages').values(rows).execute();
}

/** Aliases are looked up in any case: CVE ids are typed by hand and GHSA ids mix cases. */
async function writeAliases(trx: Db, seq: number, advisory: ParsedAdvisory): Promise<void> {
  await trx.deleteFrom('advisory_aliases').where('advisory_seq', '=', seq).execute();
  const keys = new Set((advisory.document.aliases ?? []).map((a) => a.toLowerCase()));
  const rows = [...keys].map((alias_key) => ({ alias_key, advisory_seq: seq }));
  if (rows.length > 0) await trx.insertInto('advisory_aliases').values(rows).execute();
}

/** Inserts a new advisory and its package rows; returns its seq. */
export async function insertAdvisory(trx: Db, row: StoredAdvisory): Promise<number> {
  const inserted = await trx
    .insertInto('advisories')
    .values({
      id: row.advisory.id,
      ...columns(row.advisory),
      revision: 1,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  await writePackages(trx, inserted.seq, 1, row.packageIds);
  await writeAliases(trx, inserted.seq, row.advisory);
  return inserted.seq;
}

/** Replaces an advisory's document and package rows, moving its revision. */
export async function replaceAdvisory(trx: Db, existing: AdvisoryRow, row: StoredAdvisory): Promise<void> {
  const updated = await trx
    .updateTable('advisories')
    // In SQL: two edits at once must leave two different revisions, or a cache could keep the first.
    .set({ id: row.advisory.id, ...columns(row.advisory), revision: sql<number>`revision + 1`, updated_at: row.now })
    .where('seq', '=', existing.seq)
    .returning('revision')
    .executeTakeFirstOrThrow();
  await writePackages(trx, existing.seq, Number(updated.revision), row.packageIds);
  await writeAliases(trx, existing.seq, row.advisory);
}

/** Gives a registry-assigned id (`SYN-<year>-<seq>`) to a row inserted under a placeholder. */
export async function assignId(trx: Db, seq: number, id: string, document: string): Promise<void> {
  await trx.updateTable('advisories').set({ id, document }).where('seq', '=', seq).execute();
}

export function findAdvisory(db: Db, id: string): Promise<AdvisoryRow | undefined> {
  return db.selectFrom('advisories').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The advisories that name `alias` among their aliases (any case), oldest first, at most `cap`. */
export function advisoriesByAlias(db: Db, alias: string, cap: number): Promise<AdvisoryRow[]> {
  return db
    .selectFrom('advisories')
    .innerJoin('advisory_aliases', 'advisory_aliases.advisory_seq', 'advisories.seq')
    .selectAll('advisories')
    .where('advisory_aliases.alias_key', '=', alias.toLowerCase())
    .orderBy('advisories.seq')
    .limit(cap)
    .execute();
}

/** The canonical names an advisory names now (to refresh their documents after a change). */
export async function advisoryPackageIds(db: Db, seq: number): Promise<number[]> {
  const rows = await db.selectFrom('advisory_packages').select('package_id').where('advisory_seq', '=', seq).execute();
  return rows.map((r) => Number(r.package_id));
}

/** A package's advisories, newest first, withdrawn ones included (at most `cap`). */
export function advisoriesOfPackage(db: Db, canonical: string, cap: number): Promise<AdvisoryRow[]> {
  return db
    .selectFrom('advisories')
    .innerJoin('advisory_packages', 'advisory_packages.advisory_seq', 'advisories.seq')
    .selectAll('advisories')
    .where('advisory_packages.canonical_name', '=', canonical)
    .orderBy('advisories.published', 'desc')
    .orderBy('advisories.seq', 'desc')
    .limit(cap)
    .execute();
}

export interface AdvisoryKey {
  canonical: string;
  seq: number;
  revision: number;
}

/**
 * Which advisories (and at which revision) name each of these canonical names: read off one index,
 * 1,000 names a query, through `read` (RegistryDatabase.readRows: on SQLite, straight to the statement).
 */
export async function advisoryKeys(db: Db, read: RegistryDatabase['readRows'], canonicals: readonly string[]): Promise<AdvisoryKey[]> {
  const keys: AdvisoryKey[] = [];
  for (let i = 0; i < canonicals.length; i += NAMES_PER_QUERY) {
    const query = db
      .selectFrom('advisory_packages')
      .select(['canonical_name as canonical', 'advisory_seq as seq', 'revision'])
      .where('canonical_name', 'in', canonicals.slice(i, i + NAMES_PER_QUERY))
      .compile();
    const rows = await read(query);
    for (const r of rows) keys.push({ canonical: r.canonical, seq: Number(r.seq), revision: Number(r.revision) });
  }
  return keys;
}

/** Whole rows by seq, for the cache's misses. */
export async function advisoryRows(db: Db, seqs: readonly number[]): Promise<AdvisoryRow[]> {
  const rows: AdvisoryRow[] = [];
  for (let i = 0; i < seqs.length; i += NAMES_PER_QUERY) {
    rows.push(
      ...(await db
        .selectFrom('advisories')
        .selectAll()
        .where('seq', 'in', seqs.slice(i, i + NAMES_PER_QUERY))
        .execute()),
    );
  }
  return rows;
}
