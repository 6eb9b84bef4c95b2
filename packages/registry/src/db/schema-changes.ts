/** Table of migration 0023: the changes feed followers sync from. */
import type { Generated, Selectable } from 'kysely';

export interface ChangesTable {
  id: Generated<number>;
  /**
   * PostgreSQL: the writing transaction's id (a column default), which orders the feed so a reader
   * never passes a change still being committed; SQLite: 0 (one writer at a time, ids in commit order).
   */
  txid: Generated<string>;
  at: string;
  kind: string;
  package: string;
  version: string | null;
  /** JSON: what a follower needs besides the name and version (a tag, a yank reason). */
  data: string;
}

export interface ChangeTables {
  changes: ChangesTable;
}

export type ChangeRow = Selectable<ChangesTable>;
