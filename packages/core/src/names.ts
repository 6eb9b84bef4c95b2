/**
 * Names, versions and ranges are parsed once at the edge into branded values; code past the
 * edge takes the branded types and never re-checks strings.
 */
import semver from 'semver';
// Route words are plain data kept beside the route table; a package named like one would be shadowed.
import { ROUTE_WORDS } from './names/route-words.ts';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type PackageName = Brand<string, 'PackageName'>;
export type Version = Brand<string, 'Version'>;
export type Range = Brand<string, 'Range'>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,212}[a-z0-9])?$/;
const MAX_NAME_LENGTH = 214;
/** Windows cannot create files with these names, whatever the extension (`con.txt` too). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/;
// Compared by canonical form, so `node.modules` and `Node-Modules` are as reserved as `node_modules`.
const RESERVED_NAMES = new Set(['synapse_modules', 'synapse', 'node_modules', 'favicon.ico', 'api', 'std'].map((n) => canonicalName(n)));
const ROUTE_WORD_NAMES = new Set(ROUTE_WORDS.map((w) => canonicalName(w)));

/**
 * Lowercase, with runs of `-`, `_` and `.` folded to one `-`: two names with the same canonical
 * form are the same package, so `foo_bar` cannot be published beside `foo-bar`.
 */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function parsePackageName(input: unknown): Parsed<PackageName> {
  if (typeof input !== 'string' || input.length === 0) return { ok: false, message: 'a package name is required' };
  if (input.length > MAX_NAME_LENGTH) {
    return { ok: false, message: `a package name has at most ${MAX_NAME_LENGTH} characters` };
  }
  if (!NAME_PATTERN.test(input)) {
    return {
      ok: false,
      message: 'a package name uses lowercase letters, digits, "-", "_" and ".", and starts and ends with a letter or digit',
    };
  }
  if (WINDOWS_DEVICE.test(input)) {
    return { ok: false, message: `"${input}" is a Windows device name, which cannot be a file or folder there` };
  }
  if (RESERVED_NAMES.has(canonicalName(input))) {
    return { ok: false, message: `"${input}" is a reserved name` };
  }
  return { ok: true, value: input as PackageName };
}

/**
 * Why no NEW package may take this (valid) name, or undefined. Words of API paths are refused only
 * for new packages: a package that already has such a name stays a valid dependency.
 *
 * @example
 * newNameRefusal('recent'); // 'the name "recent" is reserved: it is a word of the registry's API paths'
 */
export function newNameRefusal(name: PackageName): string | undefined {
  if (ROUTE_WORD_NAMES.has(canonicalName(name))) return `the name "${name}" is reserved: it is a word of the registry's API paths`;
  return undefined;
}

/**
 * Full SemVer 2.0.0. Build metadata is dropped: `1.0.0+a` and `1.0.0+b` are the same version.
 */
// No leading zeros, and at most 15 digits a part, so each part is a safe integer as SemVer requires.
const PLAIN_VERSION = /^(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})$/;

export function parseVersion(input: unknown): Parsed<Version> {
  if (typeof input !== 'string' || input.length === 0) return { ok: false, message: 'a version is required' };
  if (input.length > 256) return { ok: false, message: 'a version has at most 256 characters' };
  // Most versions are plain x.y.z; these need no full parse (every download parses one).
  if (PLAIN_VERSION.test(input)) return { ok: true, value: input as Version };
  const parsed = semver.parse(input, { loose: false });
  // semver accepts a leading "v" and surrounding spaces even when strict; SemVer 2.0.0 does not.
  if (!parsed || parsed.version !== input.split('+', 1)[0]) {
    return { ok: false, message: `"${input}" is not a SemVer 2.0.0 version such as 1.2.3 or 1.2.3-beta.1` };
  }
  return { ok: true, value: parsed.version as Version };
}

export function parseRange(input: unknown): Parsed<Range> {
  if (typeof input !== 'string') return { ok: false, message: 'a version range must be a string' };
  if (input.length > 256) return { ok: false, message: 'a version range has at most 256 characters' };
  const trimmed = input.trim();
  if (semver.validRange(trimmed === '' ? '*' : trimmed) === null) {
    return { ok: false, message: `"${input}" is not a version range such as ^1.2.0, ~1.2 or >=1.0.0 <2.0.0` };
  }
  return { ok: true, value: (trimmed === '' ? '*' : trimmed) as Range };
}

/** Sorts versions newest first by SemVer precedence. */
export function compareVersionsDesc(a: string, b: string): number {
  return semver.rcompare(a, b);
}

/** The highest version that is not a prerelease, or the highest prerelease when there is nothing else. */
export function latestVersion(versions: readonly string[]): string | null {
  if (versions.length === 0) return null;
  const sorted = [...versions].sort(compareVersionsDesc);
  return sorted.find((v) => semver.prerelease(v) === null) ?? sorted[0]!;
}

export type DistTag = Brand<string, 'DistTag'>;

/** The longest dist-tag name. */
export const DIST_TAG_MAX_LENGTH = 32;
const DIST_TAG_PATTERN = /^[a-z][a-z0-9.-]*$/;

/**
 * A dist-tag name (`latest`, `beta`, `next`): lowercase letters, digits, "-" and ".", starting with a
 * letter. A name that reads as a version range (`x`, `v1`, `x.x`) is refused, so `foo@beta` never
 * means two things: after the @, a valid range is a range and anything else is a tag.
 */
export function parseDistTag(input: unknown): Parsed<DistTag> {
  if (typeof input !== 'string' || input.length === 0) return { ok: false, message: 'a dist-tag name is required' };
  if (input.length > DIST_TAG_MAX_LENGTH || !DIST_TAG_PATTERN.test(input)) {
    return {
      ok: false,
      message: `"${input.slice(0, 64)}" is not a dist-tag: a dist-tag uses lowercase letters, digits, "-" and ".", starts with a letter and has at most ${DIST_TAG_MAX_LENGTH} characters`,
    };
  }
  if (semver.validRange(input) !== null) {
    return { ok: false, message: `"${input}" reads as a version range, so it cannot be a dist-tag; choose a word such as beta or next` };
  }
  return { ok: true, value: input as DistTag };
}

/** True for a pre-release version (`2.0.0-beta.1`). */
export const isPrerelease = (version: string): boolean => semver.prerelease(version) !== null;
