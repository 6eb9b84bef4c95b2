/**
 * Typo tolerance: a query word of five or more characters also matches indexed words one edit away
 * (an insertion, a deletion, a substitution or a swap of two neighbours: Damerau-Levenshtein 1).
 *
 * Candidates are the word's whole edit-1 neighbourhood over `[a-z0-9]` and the word's own
 * characters (~36·(2n+1) strings), kept only if they are in the vocabulary of indexed words. That
 * is exact, the same on SQLite and PostgreSQL, and a few hundred primary-key probes cost well under
 * a millisecond. Trigram similarity (pg_trgm) was the other option: it scores a swap in a
 * five-letter word at 0.2 ("parse"/"prase" share 2 of 10 padded trigrams), so it either misses
 * swaps or, at a threshold that low, returns thousands of unrelated words to filter.
 */
import type { SearchNode, SearchQuery, TermNode } from './query.ts';

/** Query words shorter than this (in characters) must be spelled right. */
export const TYPO_MIN_LENGTH = 5;
/** At most this many corrections per word, the most frequent first when the caller orders them. */
export const TYPO_MAX_VARIANTS = 8;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Every string one edit away from `word` (not `word` itself), over `[a-z0-9]` and its own characters. */
export function typoNeighbours(word: string): string[] {
  const chars = [...word];
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

/** Whether a term is typo-tolerant: one word (not a phrase) of at least TYPO_MIN_LENGTH characters. */
export function isTypoTolerant(term: TermNode): boolean {
  return !term.phrase && [...term.text].length >= TYPO_MIN_LENGTH && /^[\p{L}\p{N}]+$/u.test(term.text);
}

/** The typo-tolerant words of a query outside negations (an excluded word must be spelled right). */
export function typoWords(query: SearchQuery): string[] {
  const words = new Set<string>();
  walk(query, false, (term) => {
    if (isTypoTolerant(term)) words.add(term.text);
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
    const found = typoNeighbours(word).filter((v) => known.has(v)).sort().slice(0, TYPO_MAX_VARIANTS);
    if (found.length > 0) corrections.set(word, found);
  }
  if (corrections.size === 0) return query;
  const rewrite = (node: SearchNode, negated: boolean): SearchNode => {
    switch (node.kind) {
      case 'term': {
        const variants = negated || !isTypoTolerant(node) ? undefined : corrections.get(node.text);
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
