import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrationProvider } from './index.ts';

test('versions published before 0010 have their dependencies indexed by canonical name', async () => {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  try {
    const migrator = new Migrator({ db, provider: migrationProvider('sqlite') });
    assert.equal((await migrator.migrateTo('0009-lifecycle')).error, undefined);
    await sql`INSERT INTO users (id, username, email, password_hash, created_at) VALUES (1, 'u', 'u@example.com', 'x', '2026')`.execute(db);
    await sql`INSERT INTO packages (id, name, canonical_name, created_at, updated_at) VALUES (1, 'a', 'a', '2026', '2026')`.execute(db);
    await sql`INSERT INTO versions (id, package_id, version, checksum, integrity, size, dependencies, published_by, published_at)
      VALUES (1, 1, '1.0.0', 'c1', 'i', 1, '{}', 1, '2026'),
             (2, 1, '2.0.0', 'c2', 'i', 1, '{"Foo_Bar":"^1.0.0","log":"~2.1"}', 1, '2026')`.execute(db);
    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const rows = await sql<
      Record<string, unknown>
    >`SELECT version_id, dependency, range FROM version_dependencies ORDER BY dependency`.execute(db);
    assert.deepEqual(rows.rows, [
      { version_id: 2, dependency: 'foo-bar', range: '^1.0.0' },
      { version_id: 2, dependency: 'log', range: '~2.1' },
    ]);
  } finally {
    await db.destroy();
  }
});
