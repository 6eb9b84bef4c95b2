import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from './index.ts';

test('live versions published before the feed existed enter it as publishes, in publish order', async () => {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
    assert.equal((await migrator.migrateTo('0018-token-names')).error, undefined);
    await sql`INSERT INTO users (id, username, email, password_hash, created_at) VALUES (1, 'u', 'u@example.com', 'x', '2026')`.execute(db);
    await sql`INSERT INTO packages (id, name, canonical_name, created_at, updated_at) VALUES (1, 'a', 'a', '2026', '2026'), (2, 'b', 'b', '2026', '2026')`.execute(
      db,
    );
    await sql`INSERT INTO versions (id, package_id, version, checksum, integrity, size, dependencies, published_by, published_at, deleted_at)
      VALUES (1, 1, '1.0.0', 'c1', 'i', 1, '{}', 1, '2026-01-03T00:00:00.000Z', NULL),
             (2, 2, '1.0.0', 'c2', 'i', 1, '{}', 1, '2026-01-01T00:00:00.000Z', NULL),
             (3, 1, '0.9.0', 'c3', 'i', 1, '{}', 1, '2026-01-02T00:00:00.000Z', '2026-01-04T00:00:00.000Z')`.execute(db);
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const rows = await sql<Record<string, unknown>>`SELECT kind, package, version, at FROM changes ORDER BY txid, id`.execute(db);
    assert.deepEqual(rows.rows, [
      { kind: 'publish', package: 'b', version: '1.0.0', at: '2026-01-01T00:00:00.000Z' },
      { kind: 'publish', package: 'a', version: '1.0.0', at: '2026-01-03T00:00:00.000Z' },
    ]);
  } finally {
    await db.destroy();
  }
});
