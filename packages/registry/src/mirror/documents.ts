/**
 * The upstream's package and version documents: the few fields pull-through relies on are checked
 * (an answer without them is refused, never cached), and tarball links are pointed at this registry.
 */
import { canonicalName } from '../../../core/src/names.ts';

export interface UpstreamVersionEntry {
  version: string;
  integrity: string;
  checksum: string;
  size: number;
  tarball_url: string;
  [field: string]: unknown;
}

export interface UpstreamPackage {
  name: string;
  latest: string | null;
  versions: UpstreamVersionEntry[];
  [field: string]: unknown;
}

export type UpstreamVersion = UpstreamVersionEntry & { name: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isVersionEntry(value: unknown): value is UpstreamVersionEntry {
  return (
    isObject(value) &&
    typeof value.version === 'string' &&
    typeof value.integrity === 'string' &&
    value.integrity.startsWith('sha512-') &&
    typeof value.checksum === 'string' &&
    /^[0-9a-f]{64}$/.test(value.checksum) &&
    typeof value.size === 'number'
  );
}

/** The package document when it is one, for the name asked (same canonical name), else null. */
export function asPackage(value: unknown, name: string): UpstreamPackage | null {
  if (!isObject(value) || typeof value.name !== 'string' || !Array.isArray(value.versions)) return null;
  if (canonicalName(value.name) !== canonicalName(name)) return null;
  return value.versions.every(isVersionEntry) ? (value as UpstreamPackage) : null;
}

export function asVersion(value: unknown, name: string, version: string): UpstreamVersion | null {
  if (!isVersionEntry(value) || typeof value.name !== 'string') return null;
  if (canonicalName(value.name) !== canonicalName(name) || value.version !== version) return null;
  return value as UpstreamVersion;
}

/** Where this registry serves a version's tarball: the same path as its own (server/views/package.ts). */
export type TarballLink = (name: string, version: string) => string;

export function rewritePackage(doc: UpstreamPackage, link: TarballLink): UpstreamPackage {
  return { ...doc, versions: doc.versions.map((v) => ({ ...v, tarball_url: link(doc.name, v.version) })) };
}

export function rewriteVersion(doc: UpstreamVersion, link: TarballLink): UpstreamVersion {
  return { ...doc, tarball_url: link(doc.name, doc.version) };
}
