/**
 * An incompatibility is a set of terms that cannot all hold. Every fact the solver knows,
 * given or learned, is one; learned ones remember the two they came from, which is the proof
 * the explanation prints.
 */
import { intersectTerms, type Term } from './term.ts';
import type { VersionSet } from './version-set.ts';

/** The internal name of the package being resolved; no registry name is empty. */
export const ROOT = '';

export interface NamedTerm {
  readonly name: string;
  readonly term: Term;
}

export type Cause =
  | { readonly kind: 'root' }
  | { readonly kind: 'dependency'; readonly target: string; readonly range: VersionSet }
  | { readonly kind: 'no-versions'; readonly versions: readonly string[]; readonly yanked: readonly string[] }
  | { readonly kind: 'unknown-package'; readonly similar: readonly string[] }
  | { readonly kind: 'conflict'; readonly conflict: Incompatibility; readonly other: Incompatibility };

export interface Incompatibility {
  readonly terms: readonly NamedTerm[];
  readonly cause: Cause;
}

/**
 * Builds an incompatibility, merging terms on the same package. A learned incompatibility drops
 * "root is selected": root always is, and the message reads better without it.
 */
export function incompatibility(terms: readonly NamedTerm[], cause: Cause): Incompatibility {
  const merged = new Map<string, Term>();
  for (const { name, term } of terms) {
    const prior = merged.get(name);
    merged.set(name, prior ? intersectTerms(prior, term) : term);
  }
  let list = [...merged].map(([name, term]) => ({ name, term }));
  if (cause.kind === 'conflict' && list.length > 1) {
    list = list.filter((t) => !(t.name === ROOT && t.term.positive));
  }
  return { terms: list, cause };
}

/** Version solving has failed once root itself (or nothing at all) is incompatible. */
export const isFailure = (inc: Incompatibility): boolean =>
  inc.terms.length === 0 || (inc.terms.length === 1 && inc.terms[0]!.name === ROOT && inc.terms[0]!.term.positive);
