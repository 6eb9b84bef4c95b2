import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from './index.ts';

test('versions published before 0006 take their package’s author, license and links', async () => {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
    const to5 = await migrator.migrateTo('0005-download-log-append-only');
    assert.equal(to5.error, undefined);
    await sql`INSERT INTO users (id, username, email, password_hash, created_at) VALUES (1, 'u', 'u@example.com', 'x', '2026')`.execute(db);
    await sql`INSERT INTO packages (id, name, canonical_name, author, license, homepage, repository, created_at, updated_at)
      VALUES (1, 'a', 'a', 'Ann', 'MIT', 'https://a.example/', 'https://git.example/a', '2026', '2026'),
             (2, 'b', 'b', NULL, NULL, NULL, NULL, '2026', '2026')`.execute(db);
    await sql`INSERT INTO versions (id, package_id, version, checksum, integrity, size, published_by, published_at)
      VALUES (1, 1, '1.0.0', 'c1', 'i', 1, 1, '2026'), (2, 1, '2.0.0', 'c2', 'i', 1, 1, '2026'), (3, 2, '1.0.0', 'c3', 'i', 1, 1, '2026')`.execute(
      db,
    );
    const latest = await migrator.migrateToLatest();
    assert.equal(latest.error, undefined);
    const rows = await sql<Record<string, unknown>>`SELECT id, author, license, homepage, repository FROM versions ORDER BY id`.execute(db);
    assert.deepEqual(rows.rows, [
      { id: 1, author: 'Ann', license: 'MIT', homepage: 'https://a.example/', repository: 'https://git.example/a' },
      { id: 2, author: 'Ann', license: 'MIT', homepage: 'https://a.example/', repository: 'https://git.example/a' },
      { id: 3, author: null, license: null, homepage: null, repository: null },
    ]);
  } finally {
    await db.destroy();
  }
});
