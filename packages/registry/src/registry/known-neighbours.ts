/**
 * The indexed words one typo away from a query's typo-tolerant words, kept per word while the
 * database's write generation holds (SQLite: it moves with every write of this process and within
 * 100 ms of another's commit; only a publish adds words). Looking a word's neighbours up sends its
 * 100–350 one-edit variants to the vocabulary: about 0.5 ms, a fifth of a search at 300 packages,
 * for words that come back again and again. PostgreSQL has no cheap generation: looked up each time.
 */
import { LRUCache } from 'lru-cache';
import { knownWords } from '../db/search-index.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { typoNeighbours } from '../search/index.ts';

/** Words kept at most (a few hundred bytes each). */
export const KNOWN_NEIGHBOURS_ENTRIES = 4096;

const kept = new WeakMap<RegistryDatabase, { generation: number; words: LRUCache<string, readonly string[]> }>();

/** The union, over `words`, of their neighbours (typoNeighbours) that some indexed package holds. */
export async function knownNeighbours(db: RegistryDatabase, words: readonly string[]): Promise<Set<string>> {
  const generation = db.writeGeneration();
  if (generation === undefined) return knownWords(db.kysely, db.dialect, words.flatMap(typoNeighbours));
  let cache = kept.get(db);
  if (cache?.generation !== generation) {
    cache = { generation, words: new LRUCache({ max: KNOWN_NEIGHBOURS_ENTRIES }) };
    kept.set(db, cache);
  }
  const { words: byWord } = cache;
  const missing = words.filter((word) => !byWord.has(word)).map((word) => ({ word, neighbours: typoNeighbours(word) }));
  if (missing.length > 0) {
    const found = await knownWords(
      db.kysely,
      db.dialect,
      missing.flatMap((m) => m.neighbours),
    );
    for (const { word, neighbours } of missing)
      byWord.set(
        word,
        neighbours.filter((v) => found.has(v)),
      );
  }
  return new Set(words.flatMap((word) => byWord.get(word) ?? []));
}
