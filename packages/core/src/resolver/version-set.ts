/**
 * Sets of versions as unions of half-open intervals, with union, intersection and complement.
 *
 * npm's prerelease rule ("1.2.4-beta matches only ranges that name a 1.2.4 prerelease") is not
 * an interval over SemVer order, so a set keeps two interval lists: one consulted for releases,
 * one for prereleases. Each list normalises its bounds to the kind of version it governs, so two
 * sets holding the same versions have the same shape and emptiness is a length check.
 */
import semver from 'semver';
import { compare, floorOf, fromSemver, nextPatchFloor, release, successor, ver, ZERO, type Ver } from './version.ts';

/** `[lo, hi)`; null is unbounded. */
export interface Interval {
  readonly lo: Ver | null;
  readonly hi: Ver | null;
}

export interface VersionSet {
  /** Governs releases; bounds are releases. */
  readonly rel: readonly Interval[];
  /** Governs prereleases; bounds are prereleases. */
  readonly pre: readonly Interval[];
}

type Part = 'rel' | 'pre';
const FULL: readonly Interval[] = [{ lo: null, hi: null }];
const RELEASE_ZERO = release(ZERO);

function normLo(part: Part, v: Ver | null): Ver | null {
  if (v === null) return null;
  const n = part === 'rel' ? release(v) : v.pre.length === 0 ? nextPatchFloor(v) : v;
  return compare(n, part === 'rel' ? RELEASE_ZERO : ZERO) <= 0 ? null : n;
}

function normHi(part: Part, v: Ver | null): Ver | null {
  if (v === null) return null;
  return part === 'rel' ? release(v) : v.pre.length === 0 ? nextPatchFloor(v) : v;
}

const loLess = (a: Ver | null, b: Ver | null) => (a === null ? b !== null : b !== null && compare(a, b) < 0);
const hiLess = (a: Ver | null, b: Ver | null) => (b === null ? a !== null : a !== null && compare(a, b) < 0);
/** True when [lo, ...) starts at or before an interval ending at hi, i.e. they touch or overlap. */
const reaches = (lo: Ver | null, hi: Ver | null) => lo === null || hi === null || compare(lo, hi) <= 0;

function interval(part: Part, lo: Ver | null, hi: Ver | null): Interval[] {
  const l = normLo(part, lo);
  const h = normHi(part, hi);
  if (l !== null && h !== null && compare(l, h) >= 0) return [];
  return [{ lo: l, hi: h }];
}

function unionList(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  if (a.length === 0) return b as Interval[];
  if (b.length === 0) return a as Interval[];
  const all = [...a, ...b].sort((x, y) => (loLess(x.lo, y.lo) ? -1 : loLess(y.lo, x.lo) ? 1 : 0));
  const out: Interval[] = [];
  let cur = all[0]!;
  for (let i = 1; i < all.length; i++) {
    const next = all[i]!;
    if (reaches(next.lo, cur.hi)) {
      if (hiLess(cur.hi, next.hi)) cur = { lo: cur.lo, hi: next.hi };
    } else {
      out.push(cur);
      cur = next;
    }
  }
  out.push(cur);
  return out;
}

function intersectList(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const lo = loLess(x.lo, y.lo) ? y.lo : x.lo;
    const hi = hiLess(x.hi, y.hi) ? x.hi : y.hi;
    if (lo === null || hi === null || compare(lo, hi) < 0) out.push({ lo, hi });
    if (hiLess(x.hi, y.hi)) i++;
    else j++;
  }
  return out;
}

function complementList(a: readonly Interval[]): Interval[] {
  if (a.length === 0) return FULL as Interval[];
  const out: Interval[] = [];
  if (a[0]!.lo !== null) out.push({ lo: null, hi: a[0]!.lo });
  for (let i = 0; i < a.length; i++) {
    const hi = a[i]!.hi;
    if (hi === null) break;
    out.push({ lo: hi, hi: i + 1 < a.length ? a[i + 1]!.lo : null });
  }
  return out;
}

const inList = (list: readonly Interval[], v: Ver) =>
  list.some((i) => (i.lo === null || compare(i.lo, v) <= 0) && (i.hi === null || compare(v, i.hi) < 0));

const sameBound = (a: Ver | null, b: Ver | null) => (a === null ? b === null : b !== null && compare(a, b) === 0);
const sameList = (a: readonly Interval[], b: readonly Interval[]) =>
  a.length === b.length && a.every((x, i) => sameBound(x.lo, b[i]!.lo) && sameBound(x.hi, b[i]!.hi));

export const EMPTY: VersionSet = { rel: [], pre: [] };
export const ANY: VersionSet = { rel: FULL, pre: FULL };

/** Every version from lo (inclusive) to hi (exclusive), prereleases included. */
export function between(lo: Ver | null, hi: Ver | null): VersionSet {
  return { rel: interval('rel', lo, hi), pre: interval('pre', lo, hi) };
}

/** Exactly one version. */
export const exactly = (v: Ver): VersionSet => between(v, successor(v));

export const union = (a: VersionSet, b: VersionSet): VersionSet => ({
  rel: unionList(a.rel, b.rel),
  pre: unionList(a.pre, b.pre),
});
export const intersect = (a: VersionSet, b: VersionSet): VersionSet => ({
  rel: intersectList(a.rel, b.rel),
  pre: intersectList(a.pre, b.pre),
});
export const complement = (a: VersionSet): VersionSet => ({ rel: complementList(a.rel), pre: complementList(a.pre) });
export const difference = (a: VersionSet, b: VersionSet): VersionSet => intersect(a, complement(b));
export const isEmpty = (a: VersionSet): boolean => a.rel.length === 0 && a.pre.length === 0;
export const isAny = (a: VersionSet): boolean => sameList(a.rel, FULL) && sameList(a.pre, FULL);
export const equals = (a: VersionSet, b: VersionSet): boolean => sameList(a.rel, b.rel) && sameList(a.pre, b.pre);
export const isSubset = (a: VersionSet, b: VersionSet): boolean => isEmpty(difference(a, b));
export const contains = (a: VersionSet, v: Ver): boolean => inList(v.pre.length === 0 ? a.rel : a.pre, v);

/** The one version a set holds, when it holds exactly one (an `=1.2.3` pin). */
export function singleVersion(a: VersionSet): Ver | null {
  if (a.rel.length === 1 && a.pre.length === 0) {
    const { lo, hi } = a.rel[0]!;
    const v = lo ?? RELEASE_ZERO;
    return hi !== null && compare(hi, release(successor(v))) === 0 ? v : null;
  }
  if (a.rel.length === 0 && a.pre.length === 1) {
    const { lo, hi } = a.pre[0]!;
    const v = lo ?? ZERO;
    return hi !== null && compare(hi, successor(v)) === 0 ? v : null;
  }
  return null;
}

function comparatorInterval(c: semver.Comparator): [Ver | null, Ver | null] {
  if (typeof c.semver === 'symbol' || c.value === '') return [null, null];
  const v = fromSemver(c.semver);
  switch (c.operator) {
    case '>=':
      return [v, null];
    case '>':
      return [successor(v), null];
    case '<':
      return [null, v];
    case '<=':
      return [null, successor(v)];
    default:
      return [v, successor(v)];
  }
}

const parsedRanges = new Map<string, VersionSet>();

/**
 * Turns an npm-style range (`^1.2.3`, `~1.2`, `1.x`, `1.2 - 2`, `>=1 <3 || 5`, `=1.0.0`) into a
 * set. A prerelease belongs to a `||` branch only when a comparator of that branch names a
 * prerelease of the same major.minor.patch, exactly as npm decides. Returns null when the text
 * is not a range.
 */
export function parseRangeSet(text: string): VersionSet | null {
  const hit = parsedRanges.get(text);
  if (hit) return hit;
  let range: semver.Range;
  try {
    range = new semver.Range(text.trim() === '' ? '*' : text);
  } catch {
    return null;
  }
  let result = EMPTY;
  for (const comparators of range.set) {
    let lo: Ver | null = null;
    let hi: Ver | null = null;
    let tuples: Interval[] = [];
    for (const c of comparators) {
      const [l, h] = comparatorInterval(c);
      if (l !== null && (lo === null || compare(l, lo) > 0)) lo = l;
      if (h !== null && (hi === null || compare(h, hi) < 0)) hi = h;
      if (typeof c.semver !== 'symbol' && c.semver.prerelease.length > 0) {
        const t = fromSemver(c.semver);
        tuples = unionList(tuples, interval('pre', floorOf(t), release(t)));
      }
    }
    const branch: VersionSet = {
      rel: interval('rel', lo, hi),
      pre: intersectList(interval('pre', lo, hi), tuples),
    };
    result = union(result, branch);
  }
  if (parsedRanges.size > 50_000) parsedRanges.clear();
  parsedRanges.set(text, result);
  return result;
}

/** Like parseRangeSet, but throws a TypeError naming the bad range. */
export function rangeSet(text: string): VersionSet {
  const set = parseRangeSet(text);
  if (!set) throw new TypeError(`"${text}" is not a version range`);
  return set;
}

function showRelease(lo: Ver | null, hi: Ver | null, loText: string | null): string {
  if (lo === null && hi === null) return 'any';
  if (lo === null) return hi!.text === '0.0.1' ? '0.0.0' : `<${hi!.text}`;
  const from = loText ?? lo.text;
  if (hi === null) return `>=${from}`;
  if (loText === null && compare(hi, release(successor(lo))) === 0) return lo.text;
  if (lo.major > 0 && hi.major === lo.major + 1 && hi.minor === 0 && hi.patch === 0) return `^${from}`;
  if (lo.major === 0 && lo.minor > 0 && hi.major === 0 && hi.minor === lo.minor + 1 && hi.patch === 0) {
    return `^${from}`;
  }
  if (hi.major === lo.major && hi.minor === lo.minor + 1 && hi.patch === 0) return `~${from}`;
  return `>=${from} <${hi.text}`;
}

function showPre({ lo, hi }: Interval): string {
  if (lo !== null && hi !== null && compare(hi, successor(lo)) === 0) return lo.text;
  if (lo === null) return hi === null ? 'any prerelease' : `<${hi.text}`;
  return hi === null ? `>=${lo.text}` : `>=${lo.text} <${hi.text}`;
}

/**
 * A short range for messages: `^1.2.0`, `>=1.1.0`, `<2.0.0 || >=3.0.0`, `1.4.2`. Prerelease
 * intervals show only when they change the reading (a `-beta` lower bound, or nothing else).
 */
export function showSet(a: VersionSet): string {
  if (isEmpty(a)) return 'no version';
  if (isAny(a)) return 'any';
  if (a.rel.length === 0) return a.pre.map(showPre).join(' || ');
  return a.rel
    .map(({ lo, hi }) => {
      // `^1.2.3-beta.2` keeps its prerelease lower bound in the message.
      const start = lo === null ? undefined : a.pre.find((p) => p.lo !== null && compare(release(p.lo), lo) === 0);
      return showRelease(lo, hi, start?.lo?.text ?? null);
    })
    .join(' || ');
}

export { ver };
