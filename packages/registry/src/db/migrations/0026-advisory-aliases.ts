import { sql, type Kysely, type Migration } from 'kysely';

/** Rows read at a time when filling the table from the advisories already stored. */
const PAGE = 500;

/**
 * The other ids an advisory is known by (CVE-…, GHSA-…), so `GET /advisories/CVE-…` finds it. Keyed
 * in lower case: ids are typed by hand and GHSA ids mix cases. Not unique: two advisories (the
 * registry's own and an imported one) may name the same CVE. Filled from the stored documents.
 */
export function advisoryAliasesSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('advisory_aliases')
        .addColumn('alias_key', 'text', (c) => c.notNull())
        .addColumn('advisory_seq', 'bigint', (c) => c.notNull().references('advisories.seq').onDelete('cascade'))
        .addPrimaryKeyConstraint('advisory_aliases_pk', ['alias_key', 'advisory_seq'])
        .execute();
      for (let after = 0; ; ) {
        const { rows } = await sql<{ seq: number; document: string }>`
          select seq, document from advisories where seq > ${after} order by seq limit ${PAGE}`.execute(db);
        if (rows.length === 0) break;
        const values = rows.flatMap((r) => aliasRows(Number(r.seq), (JSON.parse(r.document) as { aliases?: string[] | null }).aliases));
        if (values.length > 0) await (db as Kysely<AliasTables>).insertInto('advisory_aliases').values(values).execute();
        after = Number(rows[rows.length - 1]!.seq);
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('advisory_aliases').execute();
    },
  };
}

interface AliasTables {
  advisory_aliases: { alias_key: string; advisory_seq: number };
}

/** One row per distinct alias (case-insensitively); kept here, not shared, so this migration never changes. */
function aliasRows(seq: number, aliases: readonly string[] | null | undefined): { alias_key: string; advisory_seq: number }[] {
  const keys = new Set((aliases ?? []).map((a) => a.toLowerCase()));
  return [...keys].map((alias_key) => ({ alias_key, advisory_seq: seq }));
}
