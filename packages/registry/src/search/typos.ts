/**
 * Typo tolerance: a query word of five or more characters also matches indexed words one edit away
 * (an insertion, a deletion, a substitution or a swap of two neighbours: Damerau-Levenshtein 1).
 *
 * Candidates are the word's whole edit-1 neighbourhood over `[a-z0-9]` and the word's own
 * characters (~(36+n)·(2n+1) strings), kept only if they are in the vocabulary of indexed words. That
 * is exact, the same on SQLite and PostgreSQL, and a few hundred primary-key probes cost well under
 * a millisecond.
 *
 * The neighbourhood grows with the square of the word's length (a 256-letter word of distinct letters
 * has ~150,000 neighbours, which took seconds to build and look up), so the work is bounded by
 * construction: only words of at most TYPO_MAX_LENGTH characters get corrections (none longer is a
 * likely typo, and words past 64 characters are never in the vocabulary at all), only the first
 * TYPO_MAX_WORDS such words of a query, and so at most TYPO_MAX_CANDIDATES lookups per query. Trigram similarity (pg_trgm) was the other option: it scores a swap in a
 * five-letter word at 0.2 ("parse"/"prase" share 2 of 10 padded trigrams), so it either misses
 * swaps or, at a threshold that low, returns thousands of unrelated words to filter.
 */
import type { SearchNode, SearchQuery, TermNode } from './query.ts';

/** Query words shorter than this (in characters) must be spelled right. */
export const TYPO_MIN_LENGTH = 5;
/** Longer query words (in characters) get no corrections. */
export const TYPO_MAX_LENGTH = 20;
/** Only this many typo-tolerant words of a query, the first ones, get corrections. */
export const TYPO_MAX_WORDS = 3;
/** At most this many corrections per word, the most frequent first when the caller orders them. */
export const TYPO_MAX_VARIANTS = 8;
/** The most neighbours one word can have: (36 + n letters of its own)·(2n + 1) + 2n with n = TYPO_MAX_LENGTH. */
export const TYPO_MAX_NEIGHBOURS = (36 + TYPO_MAX_LENGTH) * (2 * TYPO_MAX_LENGTH + 1) + 2 * TYPO_MAX_LENGTH;
/** Vocabulary lookups per query at most. */
export const TYPO_MAX_CANDIDATES = TYPO_MAX_WORDS * TYPO_MAX_NEIGHBOURS;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Every string one edit away from `word` (not `word` itself), over `[a-z0-9]` and its own characters;
 * none for a word over TYPO_MAX_LENGTH characters.
 */
export function typoNeighbours(word: string): string[] {
  // Bounded for any caller: a longer word gets no corrections, so at most TYPO_MAX_NEIGHBOURS strings.
  if (word.length > 2 * TYPO_MAX_LENGTH) return [];
  const chars = [...word];
  if (chars.length > TYPO_MAX_LENGTH) return [];
  const alphabet = new Set([...ALPHABET, ...chars]);
  const out = new Set<string>();
  const n = chars.length;
  for (let i = 0; i <= n; i++) {
    const head = chars.slice(0, i).join('');
    const tail = chars.slice(i).join('');
    const rest = chars.slice(i + 1).join('');
    if (i < n) out.add(head + rest);
    if (i < n - 1) out.add(head + chars[i + 1]! + chars[i]! + chars.slice(i + 2).join(''));
    for (const c of alphabet) {
      out.add(head + c + tail);
      if (i < n) out.add(head + c + rest);
    }
  }
  out.delete(word);
  return [...out];
}

/**
 * Whether a term is typo-tolerant: one word (one token, so no phrase and no `a-b`) of
 * TYPO_MIN_LENGTH to TYPO_MAX_LENGTH characters.
 */
export function isTypoTolerant(term: TermNode): boolean {
  // Measured in UTF-16 units first, so a hostile word is never spread into code points.
  if (term.text.length > 2 * TYPO_MAX_LENGTH) return false;
  const length = [...term.text].length;
  return length >= TYPO_MIN_LENGTH && length <= TYPO_MAX_LENGTH && /^[\p{L}\p{N}]+$/u.test(term.text);
}

/**
 * The words of a query that get typo corrections: typo-tolerant, outside negations (an excluded word
 * must be spelled right), the first TYPO_MAX_WORDS distinct ones.
 */
export function typoWords(query: SearchQuery): string[] {
  const words = new Set<string>();
  walk(query, false, (term) => {
    if (words.size < TYPO_MAX_WORDS && isTypoTolerant(term)) words.add(term.text);
  });
  return [...words];
}

/**
 * The query with each typo-tolerant word `w` replaced by `(w OR v1 OR v2 …)`, where the `v` are
 * those of `typoNeighbours(w)` that `known` holds. Returns the query unchanged (same object) when
 * no word has a correction, so callers can tell whether anything was widened.
 */
export function withTypos(query: SearchQuery, known: ReadonlySet<string>): SearchQuery {
  if (!query || known.size === 0) return query;
  const corrections = new Map<string, string[]>();
  for (const word of typoWords(query)) {
    // typoWords caps words and lengths, so this loop does at most TYPO_MAX_CANDIDATES lookups.
    const found = typoNeighbours(word)
      .filter((v) => known.has(v))
      .sort()
      .slice(0, TYPO_MAX_VARIANTS);
    if (found.length > 0) corrections.set(word, found);
  }
  if (corrections.size === 0) return query;
  const rewrite = (node: SearchNode, negated: boolean): SearchNode => {
    switch (node.kind) {
      case 'term': {
        const variants = negated ? undefined : corrections.get(node.text);
        if (!variants) return node;
        const alternatives: TermNode[] = variants.map((text) => ({
          kind: 'term',
          text,
          raw: text,
          ...(node.field ? { field: node.field } : {}),
          phrase: false,
          prefix: false,
        }));
        return { kind: 'or', children: [node, ...alternatives] };
      }
      case 'not':
        return { kind: 'not', child: rewrite(node.child, !negated) };
      case 'and':
      case 'or': {
        const children = node.children.flatMap((child) => {
          const next = rewrite(child, negated);
          return next.kind === node.kind ? next.children : [next];
        });
        return { kind: node.kind, children };
      }
    }
  };
  return rewrite(query, false);
}

function walk(node: SearchQuery, negated: boolean, visit: (term: TermNode) => void): void {
  if (!node) return;
  if (node.kind === 'term') {
    if (!negated) visit(node);
  } else if (node.kind === 'not') {
    walk(node.child, !negated, visit);
  } else {
    for (const child of node.children) walk(child, negated, visit);
  }
}
