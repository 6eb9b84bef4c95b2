/**
 * A term is a statement about one package: "foo is selected at a version in S" (positive) or
 * "foo is not selected at a version in S" (negative; also true when foo is not selected at all).
 */
import { complement, difference, intersect, isEmpty, union, type VersionSet } from './version-set.ts';

export interface Term {
  readonly positive: boolean;
  readonly set: VersionSet;
}

export const pos = (set: VersionSet): Term => ({ positive: true, set });
export const neg = (set: VersionSet): Term => ({ positive: false, set });
export const negate = (t: Term): Term => ({ positive: !t.positive, set: t.set });

/** Both statements at once. */
export function intersectTerms(a: Term, b: Term): Term {
  if (a.positive && b.positive) return pos(intersect(a.set, b.set));
  if (a.positive) return pos(difference(a.set, b.set));
  if (b.positive) return pos(difference(b.set, a.set));
  return neg(union(a.set, b.set));
}

/** A negative term always allows "not selected", so only a positive one can be empty. */
export const isEmptyTerm = (t: Term): boolean => t.positive && isEmpty(t.set);

/** Whenever `known` holds, `t` holds. */
export const satisfies = (known: Term, t: Term): boolean => isEmptyTerm(intersectTerms(known, negate(t)));

/** `known` and `t` cannot both hold. */
export const contradicts = (known: Term, t: Term): boolean => isEmptyTerm(intersectTerms(known, t));

/** The positive form of a term, for packages that must be selected anyway. */
export const asPositiveSet = (t: Term): VersionSet => (t.positive ? t.set : complement(t.set));
