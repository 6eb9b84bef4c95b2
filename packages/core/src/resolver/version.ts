/**
 * Versions as plain comparable records. `semver` parses; comparison is ours because the interval
 * algebra compares bounds constantly and needs successor versions, which `semver` does not offer.
 */
import semver from 'semver';

export interface Ver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Empty for a release. Numeric identifiers are numbers, as `semver` parses them. */
  readonly pre: readonly (string | number)[];
  /** Canonical text, without build metadata. */
  readonly text: string;
}

const cache = new Map<string, Ver>();

function make(major: number, minor: number, patch: number, pre: readonly (string | number)[]): Ver {
  const text = `${major}.${minor}.${patch}${pre.length > 0 ? `-${pre.join('.')}` : ''}`;
  return { major, minor, patch, pre, text };
}

/** Parses a SemVer 2.0.0 version (build metadata dropped); throws on anything else. */
export function ver(input: string): Ver {
  const hit = cache.get(input);
  if (hit) return hit;
  const parsed = semver.parse(input);
  if (!parsed) throw new TypeError(`"${input}" is not a SemVer version`);
  const v = make(parsed.major, parsed.minor, parsed.patch, parsed.prerelease);
  if (cache.size > 100_000) cache.clear();
  cache.set(input, v);
  return v;
}

/** Builds a version from a `semver` object (comparators hand us these). */
export function fromSemver(s: semver.SemVer): Ver {
  return make(s.major, s.minor, s.patch, s.prerelease);
}

export const isPrerelease = (v: Ver): boolean => v.pre.length > 0;

function compareIdent(a: string | number, b: string | number): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer precedence: negative when a < b. */
export function compare(a: Ver, b: Ver): number {
  if (a === b) return 0;
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  const ap = a.pre;
  const bp = b.pre;
  if (ap.length === 0) return bp.length === 0 ? 0 : 1;
  if (bp.length === 0) return -1;
  const n = Math.min(ap.length, bp.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdent(ap[i]!, bp[i]!);
    if (c !== 0) return c;
  }
  return ap.length - bp.length;
}

/** The release with the same major.minor.patch. */
export const release = (v: Ver): Ver => (v.pre.length === 0 ? v : make(v.major, v.minor, v.patch, []));

/** The lowest prerelease of the next patch: nothing lies strictly between a release and it. */
export const nextPatchFloor = (v: Ver): Ver => make(v.major, v.minor, v.patch + 1, [0]);

/** The lowest prerelease of this major.minor.patch (`1.2.3-0`). */
export const floorOf = (v: Ver): Ver => make(v.major, v.minor, v.patch, [0]);

/**
 * The smallest version greater than v. For a release it is the next patch's `-0`; for a
 * prerelease, appending `.0` gives the next one (`beta` < `beta.0` and nothing lies between).
 */
export function successor(v: Ver): Ver {
  return v.pre.length === 0 ? nextPatchFloor(v) : make(v.major, v.minor, v.patch, [...v.pre, 0]);
}

export const ZERO: Ver = make(0, 0, 0, [0]);
