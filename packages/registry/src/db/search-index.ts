/**
 * Writes packages' search entries: the full-text row (SQLite FTS5) or weighted tsvector
 * (PostgreSQL), and their words into the `search_words` vocabulary used for typo corrections.
 * Called inside the transaction that changes the package, so the index never lags a publish.
 */
import { sql } from 'kysely';
import { searchTokens } from '../search/index.ts';
import type { Db } from './users.ts';

export interface SearchDocument {
  packageId: number;
  name: string;
  keywords: string[];
  description: string | null;
  author: string | null;
}

/** Rows per statement when indexing in bulk; keeps SQLite under its bind-parameter limit. */
const CHUNK = 500;

/** Writes a package's search entry; call inside the transaction that changes the package. */
export async function indexPackage(db: Db, dialect: 'sqlite' | 'postgres', doc: SearchDocument): Promise<void> {
  await indexPackages(db, dialect, [doc]);
}

/** Writes many packages' search entries (reindexing, bulk loads); same result as one indexPackage each. */
export async function indexPackages(db: Db, dialect: 'sqlite' | 'postgres', docs: readonly SearchDocument[]): Promise<void> {
  for (let i = 0; i < docs.length; i += CHUNK) {
    const chunk = docs.slice(i, i + CHUNK).map(columns);
    if (dialect === 'sqlite') {
      const ids = chunk.map((c) => c.id);
      await sql`DELETE FROM package_search WHERE rowid IN (${sql.join(ids)})`.execute(db);
      const rows = chunk.map((c) => sql`(${c.id}, ${c.name}, ${c.keywords}, ${c.description}, ${c.author})`);
      await sql`INSERT INTO package_search (rowid, name, keywords, description, author) VALUES ${sql.join(rows)}`.execute(db);
    } else {
      // Split text as the query side does (searchTokens), so both sides agree on what a word is.
      const words = (text: string) => searchTokens(text).join(' ');
      await sql`UPDATE packages p SET search_vector =
          setweight(to_tsvector('simple', d.name), 'A') ||
          setweight(to_tsvector('simple', d.keywords), 'B') ||
          setweight(to_tsvector('simple', d.description), 'C') ||
          setweight(to_tsvector('simple', d.author), 'D')
        FROM unnest(${chunk.map((c) => c.id)}::bigint[], ${chunk.map((c) => words(c.name))}::text[],
          ${chunk.map((c) => words(c.keywords))}::text[], ${chunk.map((c) => words(c.description))}::text[],
          ${chunk.map((c) => words(c.author))}::text[]) AS d(id, name, keywords, description, author)
        WHERE p.id = d.id`.execute(db);
    }
    await addWords(
      db,
      dialect,
      chunk.flatMap((c) => searchTokens(`${c.name} ${c.keywords} ${c.description} ${c.author}`)),
    );
  }
}

export async function unindexPackage(db: Db, dialect: 'sqlite' | 'postgres', packageId: number): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`DELETE FROM package_search WHERE rowid = ${packageId}`.execute(db);
    return;
  }
  await sql`UPDATE packages SET search_vector = NULL WHERE id = ${packageId}`.execute(db);
}

/** Empties the index and the vocabulary, before a full rebuild. */
export async function clearSearchIndex(db: Db, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'sqlite') await sql`DELETE FROM package_search`.execute(db);
  else await sql`UPDATE packages SET search_vector = NULL WHERE search_vector IS NOT NULL`.execute(db);
  await sql`DELETE FROM search_words`.execute(db);
}

/** Which of these words some indexed package holds (or held: see the 0003 migration). */
export async function knownWords(db: Db, dialect: 'sqlite' | 'postgres', words: readonly string[]): Promise<Set<string>> {
  if (words.length === 0) return new Set();
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{
          word: string;
        }>`SELECT word FROM search_words WHERE word IN (SELECT value FROM json_each(${JSON.stringify(words)}))`.execute(db)
      : await sql<{ word: string }>`SELECT word FROM search_words WHERE word = ANY(${words}::text[])`.execute(db);
  return new Set(rows.map((r) => r.word));
}

function columns(doc: SearchDocument) {
  // Names are indexed with separators as spaces too, so "http" finds "http-client".
  return {
    id: doc.packageId,
    name: `${doc.name} ${doc.name.replace(/[-_.]+/g, ' ')}`,
    keywords: doc.keywords.join(' '),
    description: doc.description ?? '',
    author: doc.author ?? '',
  };
}

async function addWords(db: Db, dialect: 'sqlite' | 'postgres', tokens: string[]): Promise<void> {
  // Sorted: concurrent publishes then take the words' locks in one order and cannot deadlock.
  const words = [...new Set(tokens)].filter((w) => w.length <= 64).sort();
  for (let i = 0; i < words.length; i += CHUNK) {
    const chunk = words.slice(i, i + CHUNK);
    if (dialect === 'sqlite') {
      await sql`INSERT OR IGNORE INTO search_words (word) VALUES ${sql.join(chunk.map((w) => sql`(${w})`))}`.execute(db);
    } else {
      await sql`INSERT INTO search_words (word) SELECT unnest(${chunk}::text[]) ON CONFLICT DO NOTHING`.execute(db);
    }
  }
}
