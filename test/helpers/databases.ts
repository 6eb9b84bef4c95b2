/**
 * Both database kinds, for suites that hold one contract to SQLite and PostgreSQL alike (the job
 * queue): a SQLite file in a fresh folder, and a fresh PostgreSQL database. Each can be opened
 * several times, as several processes or instances would open it. PostgreSQL is skipped only when
 * REGISTRY_TEST_PG_URL is unset and REGISTRY_REQUIRE_BACKENDS is not 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type RegistryDatabase } from '../../packages/registry/src/db/database.ts';
import { freshPostgres } from './backends.ts';

export interface TestDatabase {
  /** Opens (and migrates) another connection or pool to the same database. */
  open(): Promise<RegistryDatabase>;
  /** Closes everything opened and deletes the database. */
  cleanup(): Promise<void>;
}

export interface DatabaseKind {
  name: 'sqlite' | 'postgres';
  /** False, or why this kind is skipped. */
  skip: string | false;
  create(): Promise<TestDatabase>;
}

function tracked(openOne: () => Promise<RegistryDatabase>, remove: () => Promise<void>): TestDatabase {
  const opened: RegistryDatabase[] = [];
  return {
    open: async () => {
      const db = await openOne();
      opened.push(db);
      return db;
    },
    cleanup: async () => {
      await Promise.all(opened.map((db) => db.close()));
      await remove();
    },
  };
}

export const databaseKinds: DatabaseKind[] = [
  {
    name: 'sqlite',
    skip: false,
    create: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'synapse-db-test-'));
      const path = join(dir, 'registry.db');
      return tracked(
        () => openDatabase({ kind: 'sqlite', path }),
        () => rm(dir, { recursive: true, force: true }),
      );
    },
  },
  {
    name: 'postgres',
    skip:
      process.env.REGISTRY_TEST_PG_URL === undefined && process.env.REGISTRY_REQUIRE_BACKENDS !== '1'
        ? 'REGISTRY_TEST_PG_URL is not set'
        : false,
    create: async () => {
      const database = await freshPostgres();
      return tracked(() => openDatabase({ kind: 'postgres', url: database.url, poolSize: 5 }), database.drop);
    },
  },
];
