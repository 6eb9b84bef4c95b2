/**
 * How a search result's score is built, the same on both backends:
 *
 *   score = relevance + popularity + recency + exact_match
 *
 * - relevance ∈ [0, 1): the backend's text score (SQLite bm25 with column weights 10/5/2/1,
 *   PostgreSQL ts_rank with weights A 1.0, B 0.4, C 0.2, D 0.1) squashed by r / (r + k), so both
 *   backends land on one scale; halved when the package matches only through a typo correction.
 * - popularity ∈ [0, 0.35]: log-scaled downloads over the last 30 days (a million saturates).
 * - recency ∈ [0, 0.1]: 0.1 for a package published today, half that after a year.
 * - exact_match: 1000 when the query, read as a package name, is this package's name, so that
 *   package is always first.
 */
import { canonicalName } from '../../../core/src/names.ts';
import type { SearchQuery } from './query.ts';

export const RANKING = {
  /** r / (r + k): the raw text score at which relevance is 0.5. */
  relevanceHalf: { sqlite: 8, postgres: 1 },
  typoFactor: 0.5,
  popularityWeight: 0.35,
  /** ln(1 + downloads) / ln(1 + this), capped at 1. */
  popularitySaturation: 1_000_000,
  recencyWeight: 0.1,
  recencyHalfLifeDays: 365,
  exactBoost: 1000,
} as const;

/** Per-result score parts, as `explain=true` shows them. */
export interface ScoreParts {
  /** The backend's raw text score before squashing (SQLite: -bm25; PostgreSQL: ts_rank, plus the adjacency bonus of hyphenated words). */
  text: number;
  relevance: number;
  /** False when the package matches only through a typo correction. */
  exact_terms: boolean;
  popularity: number;
  recency: number;
  exact_match: number;
}

/**
 * Canonical names the query could be the exact name of, for the exact-match boost: the words of a
 * query that AND-s plain words, exclusions aside (`http client -legacy` and `HTTP_Client` → `http-client`).
 * The boosted package still has to match the whole query.
 */
export function exactNameCandidates(input: string, query: SearchQuery): string[] {
  if (!query) return [];
  const parts = query.kind === 'and' ? query.children : [query];
  const terms = parts.filter((t) => t.kind !== 'not');
  if (terms.length === 0 || terms.some((t) => t.kind !== 'term' || (t.field && t.field !== 'name'))) return [];
  const joined = terms.map((t) => (t.kind === 'term' ? t.text.replaceAll(' ', '-') : '')).join('-');
  return terms.length === parts.length ? [...new Set([canonicalName(input.trim()), joined])] : [joined];
}

/** Rounds a score part for output. */
export const roundScore = (value: number): number => Math.round(value * 10_000) / 10_000;
