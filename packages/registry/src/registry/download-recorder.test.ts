import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type RegistryDatabase } from '../db/database.ts';
import { createDownloadRecorder, type DownloadEvent } from './download-recorder.ts';
import { createDownloadDedup } from './download-dedup.ts';

/** A real SQLite file with two packages: a (versions 1, 2) and b (version 3). */
async function withDatabase(fn: (db: RegistryDatabase) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'recorder-'));
  const db = await openDatabase({ kind: 'sqlite', path: join(dir, 'registry.db') });
  try {
    const k = db.kysely;
    await sql`INSERT INTO users (id, username, email, password_hash, created_at) VALUES (1, 'u', 'u@example.com', 'x', '2026-01-01')`.execute(
      k,
    );
    await sql`INSERT INTO packages (id, name, canonical_name, created_at, updated_at) VALUES
      (1, 'a', 'a', '2026-01-01', '2026-01-01'), (2, 'b', 'b', '2026-01-01', '2026-01-01')`.execute(k);
    await sql`INSERT INTO versions (id, package_id, version, checksum, integrity, size, published_by, published_at) VALUES
      (1, 1, '1.0.0', 'c1', 'i', 1, 1, '2026-01-01'), (2, 1, '1.1.0', 'c2', 'i', 1, 1, '2026-01-01'),
      (3, 2, '1.0.0', 'c3', 'i', 1, 1, '2026-01-01')`.execute(k);
    await fn(db);
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const event = (versionId: number, at: string, ip = '192.0.2.1'): DownloadEvent => ({
  versionId,
  packageId: versionId === 3 ? 2 : 1,
  ip,
  userAgent: 'synapse-pkg/1.0',
  at: new Date(at),
});

async function totals(db: RegistryDatabase) {
  const k = db.kysely;
  const days = await sql<{ version_id: number; day: string; count: number }>`
    SELECT version_id, day, count FROM download_counts ORDER BY version_id, day`.execute(k);
  const versions = await sql<{ id: number; downloads: number }>`SELECT id, downloads FROM versions ORDER BY id`.execute(k);
  const packages = await sql<{ id: number; downloads: number }>`SELECT id, downloads FROM packages ORDER BY id`.execute(k);
  const log = await sql<{ n: number }>`SELECT count(*) AS n FROM download_log`.execute(k);
  return {
    days: days.rows.map((r) => `${r.version_id} ${r.day} ${r.count}`),
    versions: versions.rows.map((r) => r.downloads),
    packages: packages.rows.map((r) => r.downloads),
    log: log.rows[0]!.n,
  };
}

const manyEvents = () => [
  ...Array.from({ length: 2_500 }, (_, i) => event(1, `2026-03-01T23:59:${String(i % 60).padStart(2, '0')}Z`)),
  ...Array.from({ length: 1_200 }, () => event(1, '2026-03-02T00:00:01Z')),
  ...Array.from({ length: 7 }, () => event(2, '2026-03-02T10:00:00Z')),
  ...Array.from({ length: 6_001 }, (_, i) => event(3, '2026-03-02T11:00:00Z', `198.51.100.${i % 200}`)),
];

const expected = {
  days: ['1 2026-03-01 2500', '1 2026-03-02 1200', '2 2026-03-02 7', '3 2026-03-02 6001'],
  versions: [3_700, 7, 6_001],
  packages: [3_707, 6_001],
  log: 9_708,
};

test('a flush writes per-day counts, version and package totals, and one log row per download', async () => {
  await withDatabase(async (db) => {
    const recorder = createDownloadRecorder({ db, flushIntervalMs: 60_000, onError: (error) => assert.fail(String(error)) });
    for (const e of manyEvents()) recorder.record(e);
    await recorder.flush();
    assert.deepEqual(await totals(db), expected);
    const row = await sql<{ ip: string; user_agent: string; downloaded_at: string }>`
      SELECT ip, user_agent, downloaded_at FROM download_log WHERE version_id = 2 LIMIT 1`.execute(db.kysely);
    assert.deepEqual(row.rows[0], { ip: '192.0.2.1', user_agent: 'synapse-pkg/1.0', downloaded_at: '2026-03-02T10:00:00.000Z' });
    // Flushing again writes nothing twice.
    await recorder.close();
    assert.deepEqual(await totals(db), expected);
  });
});

// The last: the log's fourth transaction of 1,000 rows fails after three were written.
for (const [failing, when] of [
  ['download_counts', ''],
  ['download_log', ''],
  ['download_log', 'AND NEW.version_id = 3'],
] as const) {
  test(`a flush that fails writing ${failing}${when ? ` (${when})` : ''} keeps what it did not write, and a retry writes it once`, async () => {
    await withDatabase(async (db) => {
      const k = db.kysely;
      await sql`CREATE TABLE fail_writes (on_table TEXT)`.execute(k);
      await sql
        .raw(`CREATE TRIGGER refuse_${failing} BEFORE INSERT ON ${failing}
        WHEN EXISTS (SELECT 1 FROM fail_writes) ${when} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`)
        .execute(k);
      const recorder = createDownloadRecorder({ db, flushIntervalMs: 60_000, onError: (error) => assert.fail(String(error)) });
      const events = manyEvents();
      const half = Math.floor(events.length / 2);
      for (const e of events.slice(0, half)) recorder.record(e);
      await sql`INSERT INTO fail_writes VALUES ('x')`.execute(k);
      await assert.rejects(recorder.flush(), /disk on fire/);
      // Downloads keep arriving while the database refuses writes.
      for (const e of events.slice(half)) recorder.record(e);
      await assert.rejects(recorder.flush(), /disk on fire/);
      await sql`DELETE FROM fail_writes`.execute(k);
      await recorder.close();
      assert.deepEqual(await totals(db), expected);
    });
  });
}

test('a user agent is stored cut to 512 characters, the same for every download that sent it', async () => {
  await withDatabase(async (db) => {
    const recorder = createDownloadRecorder({ db, flushIntervalMs: 60_000, onError: (error) => assert.fail(String(error)) });
    const long = `agent/${'x'.repeat(600)}`;
    for (const userAgent of [long, long, null, 'short/1.0']) recorder.record({ ...event(1, '2026-03-02T10:00:00Z'), userAgent });
    await recorder.close();
    const rows = await sql<{ user_agent: string | null }>`SELECT user_agent FROM download_log ORDER BY id`.execute(db.kysely);
    assert.deepEqual(
      rows.rows.map((r) => r.user_agent),
      [long.slice(0, 512), long.slice(0, 512), null, 'short/1.0'],
    );
  });
});

test('a flush only counts: it leaves the write generation, and so the caches of hot reads, in place', async () => {
  await withDatabase(async (db) => {
    const recorder = createDownloadRecorder({ db, flushIntervalMs: 60_000, onError: (error) => assert.fail(String(error)) });
    const before = db.writeGeneration();
    for (const e of manyEvents()) recorder.record(e);
    await recorder.close();
    assert.deepEqual(await totals(db), expected);
    assert.equal(db.writeGeneration(), before);
  });
});

test('with a dedup, every download is logged but one IP counts a version once an hour', async () => {
  await withDatabase(async (db) => {
    const dedup = createDownloadDedup({ windowMs: 3_600_000, maxEntries: 1_000 });
    const recorder = createDownloadRecorder({ db, flushIntervalMs: 60_000, dedup, onError: (error) => assert.fail(String(error)) });
    // 6,000 downloads in 7 s from one IP, one from a second IP, and the first IP again an hour on.
    for (let i = 0; i < 6_000; i++) recorder.record(event(1, new Date(Date.parse('2026-03-02T10:00:00Z') + i).toISOString()));
    recorder.record(event(1, '2026-03-02T10:00:03Z', '198.51.100.7'));
    recorder.record(event(1, '2026-03-02T10:59:59Z'));
    recorder.record(event(1, '2026-03-02T11:00:00Z'));
    await recorder.close();
    const found = await totals(db);
    assert.deepEqual(found.days, ['1 2026-03-02 3']);
    assert.deepEqual(found.versions, [3, 0, 0]);
    assert.deepEqual(found.packages, [3, 0]);
    assert.equal(found.log, 6_003);
  });
});

test('only a count-only transaction leaves the write generation: the same statement outside one moves it', async () => {
  await withDatabase(async (db) => {
    const bump = (trx: typeof db.kysely) => sql`UPDATE versions SET downloads = downloads + 1 WHERE id = 1`.execute(trx);
    const before = db.writeGeneration();
    await db.countOnlyTransaction((trx) => bump(trx));
    assert.equal(db.writeGeneration(), before);
    await bump(db.kysely);
    assert.notEqual(db.writeGeneration(), before);
  });
});
