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

/** Writes a package's search entry; call inside the transaction that changes the package. */
export async function indexPackage(db: Db, dialect: 'sqlite' | 'postgres', doc: SearchDocument): Promise<void> {
  // Names are indexed with separators as spaces too, so "http" finds "http-client".
  const name = `${doc.name} ${doc.name.replace(/[-_.]+/g, ' ')}`;
  const keywords = doc.keywords.join(' ');
  if (dialect === 'sqlite') {
    await sql`DELETE FROM package_search WHERE rowid = ${doc.packageId}`.execute(db);
    await sql`INSERT INTO package_search (rowid, name, keywords, description, author)
      VALUES (${doc.packageId}, ${name}, ${keywords}, ${doc.description ?? ''}, ${doc.author ?? ''})`.execute(db);
    return;
  }
  // Split text as the query side does (searchTokens), so both sides agree on what a word is.
  const words = (text: string | null) => searchTokens(text ?? '').join(' ');
  await sql`UPDATE packages SET search_vector =
      setweight(to_tsvector('simple', ${words(name)}), 'A') ||
      setweight(to_tsvector('simple', ${words(keywords)}), 'B') ||
      setweight(to_tsvector('simple', ${words(doc.description)}), 'C') ||
      setweight(to_tsvector('simple', ${words(doc.author)}), 'D')
    WHERE id = ${doc.packageId}`.execute(db);
}

export async function unindexPackage(db: Db, dialect: 'sqlite' | 'postgres', packageId: number): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`DELETE FROM package_search WHERE rowid = ${packageId}`.execute(db);
    return;
  }
  await sql`UPDATE packages SET search_vector = NULL WHERE id = ${packageId}`.execute(db);
}
