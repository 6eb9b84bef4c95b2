import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from './index.ts';

test('advisories stored before the alias table get their aliases, lower-cased and once each', async () => {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
    assert.equal((await migrator.migrateTo('0025-mirror-state')).error, undefined);
    const doc = (aliases: unknown) => JSON.stringify({ id: 'x', aliases });
    await sql`INSERT INTO advisories (seq, id, summary, level, published, modified, withdrawn, document, revision, created_by, created_at, updated_at)
      VALUES (1, 'GHSA-a', 's', NULL, '2026', '2026', NULL, ${doc(['CVE-2026-1', 'cve-2026-1', 'GHSA-Bb'])}, 1, NULL, '2026', '2026'),
             (2, 'GHSA-b', 's', NULL, '2026', '2026', NULL, ${doc(null)}, 1, NULL, '2026', '2026'),
             (3, 'SYN-2026-0001', 's', NULL, '2026', '2026', NULL, ${doc(['CVE-2026-1'])}, 1, NULL, '2026', '2026')`.execute(db);
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const rows = await sql<
      Record<string, unknown>
    >`SELECT alias_key, advisory_seq FROM advisory_aliases ORDER BY advisory_seq, alias_key`.execute(db);
    assert.deepEqual(rows.rows, [
      { alias_key: 'cve-2026-1', advisory_seq: 1 },
      { alias_key: 'ghsa-bb', advisory_seq: 1 },
      { alias_key: 'cve-2026-1', advisory_seq: 3 },
    ]);
  } finally {
    await db.destroy();
  }
});
