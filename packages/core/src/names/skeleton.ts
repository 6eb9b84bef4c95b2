/**
 * Look-alike package names. Two names look alike when they share a skeleton: lowercase, separators
 * removed, and each confusable spelling folded to one form (0→o, 1/i→l, rn→m, vv→w, 5→s). So
 * `a1pha` looks like `alpha`, `mypkg` like `my_pkg`, and `rnodule` like `module`. A skeleton folds
 * every substitution at once, so a name two substitutions away is caught as well as one.
 */

// Order matters: pairs of letters first, so "rn" is folded before its letters are looked at alone.
const FOLDS: readonly (readonly [RegExp, string])[] = [
  [/[-_.]+/g, ''],
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/0/g, 'o'],
  [/[1i]/g, 'l'],
  [/5/g, 's'],
];

/**
 * The form shared by names that are easy to mistake for each other.
 *
 * @example
 * nameSkeleton('a1pha') === nameSkeleton('alpha'); // true
 * nameSkeleton('my_pkg') === nameSkeleton('mypkg'); // true
 */
export function nameSkeleton(name: string): string {
  return FOLDS.reduce((folded, [pattern, to]) => folded.replace(pattern, to), name.toLowerCase());
}

/**
 * The first of `existing` that a new name could be mistaken for, or undefined. Names with the same
 * canonical form are the same package (another check refuses those), so they are not look-alikes.
 */
export function lookalikeOf<T extends { name: string; canonical_name: string }>(
  name: string,
  canonical: string,
  existing: readonly T[],
): T | undefined {
  const skeleton = nameSkeleton(name);
  return existing.find((e) => e.canonical_name !== canonical && nameSkeleton(e.name) === skeleton);
}
