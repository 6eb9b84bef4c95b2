/**
 * Which versions an advisory affects: OSV's range rules, compiled once and matched many times.
 * Pure: no I/O, no clock. Versions are ordered by SemVer precedence (so `1.0.0-beta.1` sorts below
 * `1.0.0`, and an advisory fixed in 1.0.0 affects its pre-releases), build metadata ignored.
 *
 * OSV evaluates a range by walking its events in version order: `introduced` at or below the version
 * makes it affected, `fixed` at or below it unaffected, `last_affected` below it unaffected; the last
 * event that applies decides. `"0"` as `introduced` is below every version. Events at one version are
 * taken in the order introduced, fixed, last_affected (so `introduced X, fixed X` affects nothing).
 * A `limit` event caps the range: nothing at or above it is affected by that range. GIT ranges name
 * commits, not versions, and are left out; `versions` lists affected versions one by one.
 *
 * @example
 * const m = compileAffected([{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }], versions: [] }]);
 * affects(m, '1.2.2'); // true
 * fixedFor(m, '1.2.2'); // '1.2.3'
 */
import { SemVer } from 'semver';

export type OsvEvent = { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

export interface OsvRange {
  type: string;
  events: readonly OsvEvent[];
}

/** What one OSV `affected` entry says about one package. */
export interface AffectedSpec {
  ranges: readonly OsvRange[];
  versions: readonly string[];
}

type Kind = 'introduced' | 'fixed' | 'last_affected';
const KIND_ORDER: Record<Kind, number> = { introduced: 0, fixed: 1, last_affected: 2 };

interface Point {
  /** null: the `"0"` of introduced, below every version. */
  at: SemVer | null;
  kind: Kind;
}

interface CompiledRange {
  /** Sorted; the events whose rule applies to a version always form a prefix of this list. */
  points: Point[];
  /** The lowest `limit`: versions at or above it are outside the range. */
  limit: SemVer | null;
}

export interface AffectMatcher {
  readonly ranges: readonly CompiledRange[];
  /** Listed versions, normalised (no build metadata). */
  readonly versions: ReadonlySet<string>;
  /** Every `fixed` event, ascending: the candidates for "upgrade to". */
  readonly fixes: readonly SemVer[];
}

const eventKind = (e: OsvEvent): Kind | 'limit' => Object.keys(e)[0] as Kind | 'limit';
const eventValue = (e: OsvEvent): string => Object.values(e)[0] as string;

/** A version as OSV's SemVer ranges read it; throws on anything that is not SemVer 2.0.0. */
export function semverOf(text: string): SemVer {
  return new SemVer(text, { loose: false });
}

function comparePoints(a: Point, b: Point): number {
  if (a.at === null || b.at === null) {
    if (a.at !== b.at) return a.at === null ? -1 : 1;
  } else {
    const byVersion = a.at.compare(b.at);
    if (byVersion !== 0) return byVersion;
  }
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

function compileRange(range: OsvRange): CompiledRange {
  const points: Point[] = [];
  let limit: SemVer | null = null;
  for (const event of range.events) {
    const kind = eventKind(event);
    const value = eventValue(event);
    if (kind === 'limit') {
      if (value === '*') continue;
      const at = semverOf(value);
      if (limit === null || at.compare(limit) < 0) limit = at;
      continue;
    }
    points.push({ at: kind === 'introduced' && value === '0' ? null : semverOf(value), kind });
  }
  return { points: points.sort(comparePoints), limit };
}

/** Compiles the `affected` entries of one package (throws on a version that is not SemVer). */
export function compileAffected(specs: readonly AffectedSpec[]): AffectMatcher {
  const ranges: CompiledRange[] = [];
  const versions = new Set<string>();
  const fixes: SemVer[] = [];
  for (const spec of specs) {
    for (const range of spec.ranges) {
      if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
      const compiled = compileRange(range);
      ranges.push(compiled);
      for (const p of compiled.points) if (p.kind === 'fixed' && p.at) fixes.push(p.at);
    }
    for (const v of spec.versions) versions.add(semverOf(v).version);
  }
  return { ranges, versions, fixes: fixes.sort((a, b) => a.compare(b)) };
}

/** Whether the event's rule applies to v (see the module comment). */
function applies(p: Point, v: SemVer): boolean {
  if (p.at === null) return true;
  const c = v.compare(p.at);
  return p.kind === 'last_affected' ? c > 0 : c >= 0;
}

function inRange(range: CompiledRange, v: SemVer): boolean {
  if (range.limit !== null && v.compare(range.limit) >= 0) return false;
  // Binary search for the last applying event: they form a prefix of the sorted points.
  let lo = 0;
  let hi = range.points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (applies(range.points[mid]!, v)) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && range.points[lo - 1]!.kind === 'introduced';
}

/** Whether the matcher's entries affect version v (a SemVer, or its text). */
export function affects(m: AffectMatcher, version: SemVer | string): boolean {
  const v = typeof version === 'string' ? semverOf(version) : version;
  if (m.versions.size > 0 && m.versions.has(v.version)) return true;
  for (const range of m.ranges) if (inRange(range, v)) return true;
  return false;
}

/**
 * The lowest `fixed` version above v that the entries no longer affect: what to upgrade to. Null
 * when none is published in the advisory (only `last_affected`, or every fix is affected again).
 */
export function fixedFor(m: AffectMatcher, version: SemVer | string): string | null {
  const v = typeof version === 'string' ? semverOf(version) : version;
  for (const fix of m.fixes) {
    if (fix.compare(v) > 0 && !affects(m, fix)) return fix.version;
  }
  return null;
}
