import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase, type RegistryDatabase } from './database.ts';
import { findTarball } from './packages.ts';
import { findShownPackage, findShownVersion } from './shown-package.ts';

/** The next turn of the event loop: where the next request is served. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A registry database in a real file, with package `hello` at 1.0.0 and 1.1.0. */
async function withDatabase(fn: (db: RegistryDatabase, path: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-db-'));
  const path = join(dir, 'registry.db');
  const db = await openDatabase({ kind: 'sqlite', path });
  try {
    const k = db.kysely;
    await sql`INSERT INTO users (id, username, email, password_hash, created_at) VALUES (1, 'u', 'u@example.com', 'x', '2026-01-01')`.execute(
      k,
    );
    await sql`INSERT INTO packages (id, name, canonical_name, created_at, updated_at) VALUES (1, 'Hello', 'hello', '2026-01-01', '2026-01-01')`.execute(
      k,
    );
    await sql`INSERT INTO versions (id, package_id, version, checksum, integrity, size, published_by, published_at) VALUES
      (1, 1, '1.0.0', 'c1', 'i', 10, 1, '2026-01-01'), (2, 1, '1.1.0', 'c2', 'i', 20, 1, '2026-01-01')`.execute(k);
    await fn(db, path);
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('the write generation moves with every write of this process, and not with reads', async () => {
  await withDatabase(async (db) => {
    const before = db.writeGeneration();
    assert.equal(typeof before, 'number');
    await sql`SELECT count(*) FROM versions`.execute(db.kysely);
    await findTarball(db, 'hello', '1.0.0');
    assert.equal(db.writeGeneration(), before, 'reads');
    await sql`UPDATE versions SET downloads = downloads + 1 WHERE id = 2`.execute(db.kysely);
    const afterUpdate = db.writeGeneration()!;
    assert.ok(afterUpdate > before!, 'an UPDATE');
    await sql`INSERT INTO search_state (key, value) VALUES ('x', 'y') RETURNING key`.execute(db.kysely);
    assert.ok(db.writeGeneration()! > afterUpdate, 'an INSERT … RETURNING');
  });
});

test('a deletion by this process is seen by the next tarball lookup', async () => {
  await withDatabase(async (db) => {
    assert.equal((await findTarball(db, 'HELLO', '1.1.0'))?.checksum, 'c2');
    assert.equal((await findTarball(db, 'hello', '1.1.0'))?.checksum, 'c2');
    await sql`UPDATE versions SET deleted_at = '2026-02-01' WHERE id = 2`.execute(db.kysely);
    assert.equal(await findTarball(db, 'hello', '1.1.0'), undefined);
    assert.equal((await findTarball(db, 'hello', '1.0.0'))?.package_name, 'Hello');
  });
});

test('a deletion committed by another process is seen within 100 ms', async () => {
  await withDatabase(async (db, path) => {
    assert.equal((await findTarball(db, 'hello', '1.1.0'))?.size, 20);
    const other = new BetterSqlite3(path);
    try {
      other.prepare(`UPDATE versions SET deleted_at = '2026-02-01' WHERE id = 2`).run();
    } finally {
      other.close();
    }
    await sleep(120);
    assert.equal(await findTarball(db, 'hello', '1.1.0'), undefined);
  });
});

test('a lookup made while a transaction is open waits for it and sees its outcome', async () => {
  await withDatabase(async (db) => {
    assert.ok(await findTarball(db, 'hello', '1.1.0'));
    let lookup: Promise<unknown> | undefined;
    await db.kysely.transaction().execute(async (trx) => {
      await sql`UPDATE versions SET deleted_at = '2026-02-01' WHERE id = 2`.execute(trx);
      lookup = findTarball(db, 'hello', '1.1.0');
      await sleep(20);
    });
    assert.equal(await lookup, undefined);
    assert.equal(await findTarball(db, 'hello', '1.1.0'), undefined);
  });
});

test('three instances opening one new database file at once all come up, the schema made once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-sqlite-race-'));
  try {
    const path = join(dir, 'registry.db');
    const opened = await Promise.allSettled([1, 2, 3].map(() => openDatabase({ kind: 'sqlite', path })));
    const failures = opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
    assert.deepEqual(failures, [], 'every instance starts');
    const dbs = opened.map((o) => (o as PromiseFulfilledResult<RegistryDatabase>).value);
    const applied = await sql<{ n: number }>`SELECT count(*) AS n FROM kysely_migration`.execute(dbs[0]!.kysely);
    const names = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(dbs[0]!.kysely);
    assert.equal(applied.rows[0]!.n, new Set(names.rows.map((r) => r.name)).size, 'each migration recorded once');
    await Promise.all(dbs.map((db) => db.close()));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the shown package row is kept between reads and changes on the next read after any write: its own, a download flush, another process', async () => {
  await withDatabase(async (db, path) => {
    const shown = async () => (await findShownPackage(db, 'HELLO'))?.downloads;
    assert.equal(await shown(), 0);
    await db.countOnlyTransaction((trx) => sql`UPDATE packages SET downloads = 5 WHERE id = 1`.execute(trx));
    assert.equal(await shown(), 5, 'a download flush (count-only) shows at once');
    await sql`UPDATE packages SET downloads = 6 WHERE id = 1`.execute(db.kysely);
    assert.equal(await shown(), 6, 'a write of this process');
    const other = new BetterSqlite3(path);
    try {
      other.prepare('UPDATE packages SET downloads = 7 WHERE id = 1').run();
      await nextTurn();
      assert.equal(await shown(), 7, "another process's commit, on the next turn (the next request)");
      other.prepare("UPDATE packages SET canonical_name = 'renamed' WHERE id = 1").run();
      await nextTurn();
      assert.equal(await shown(), undefined, 'gone is gone at once too');
    } finally {
      other.close();
    }
  });
});

test('the shown version row is kept between reads and changes on the next read after any write: its own, a download flush, another process', async () => {
  await withDatabase(async (db, path) => {
    const shown = async (version = '1.1.0') => (await findShownVersion(db, 'HELLO', version)).row;
    assert.equal((await shown())?.package_name, 'Hello');
    const kept = await findShownVersion(db, 'hello', '1.1.0');
    assert.equal(kept.generation, db.readGeneration(), 'a kept row carries the generation it is current for');
    await db.countOnlyTransaction((trx) => sql`UPDATE versions SET downloads = 5 WHERE id = 2`.execute(trx));
    assert.equal((await shown())?.downloads, 5, 'a download flush (count-only) shows at once');
    await sql`UPDATE versions SET yanked_at = '2026-02-01' WHERE id = 2`.execute(db.kysely);
    assert.equal((await shown())?.yanked_at, '2026-02-01', 'a write of this process');
    assert.equal(await shown('1.2.0'), undefined, 'an absent version');
    const other = new BetterSqlite3(path);
    try {
      other
        .prepare(
          `INSERT INTO versions (id, package_id, version, checksum, integrity, size, published_by, published_at) VALUES (3, 1, '1.2.0', 'c3', 'i', 30, 1, '2026-01-02')`,
        )
        .run();
      await nextTurn();
      assert.equal((await shown('1.2.0'))?.checksum, 'c3', "another process's commit shows on the next turn, a kept absence included");
      other.prepare(`UPDATE versions SET deleted_at = '2026-02-02' WHERE id = 2`).run();
      await nextTurn();
      assert.equal(await shown(), undefined, 'deleted elsewhere is gone at once');
    } finally {
      other.close();
    }
  });
});
