/**
 * Warnings about what an install holds: a deprecated package or version (with its reason, message
 * and replacement), and a version kept from synapse.lock that has since been yanked. They come from
 * the package documents (the ones the resolution already read, or fetched now when synapse.lock was
 * used as it is), never stop an install, and leave with --json as data.
 */
import type { DeprecationInfo } from '../../core/src/resolver/lifecycle.ts';
import type { PackageInfo, PackageSource } from '../../core/src/resolver/source.ts';
import { mapLimit } from '../../core/src/pool.ts';
import { terminalSafe } from './terminal-text.ts';

export interface LifecycleWarning {
  kind: 'deprecated' | 'yanked';
  name: string;
  /** The installed version; for a deprecated package, the version installed of it. */
  version: string;
  /** What the deprecation covers: the whole package or this version; null for a yank. */
  scope: 'package' | 'version' | null;
  reason: string | null;
  message: string | null;
  replacement: string | null;
  /** A yanked version kept because synapse.lock has it. */
  from_lockfile: boolean;
  /** One line for a person, without the "warning: " prefix. */
  text: string;
}

const FETCHES_AT_ONCE = 8;

/** Registry text as one safe line: no control characters, no line breaks to forge output with. */
export const oneLine = (value: string): string => terminalSafe(value).replace(/\s+/g, ' ').trim();

/** "foo@1.2.0 is deprecated (renamed): Moved; use bar instead" */
export function deprecationText(subject: string, d: DeprecationInfo): string {
  const parts = [d.message ? oneLine(d.message) : null, d.replacement ? `use ${oneLine(d.replacement)} instead` : null].filter(
    (p) => p !== null,
  );
  return `${oneLine(subject)} is deprecated (${oneLine(d.reason)})${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

function deprecated(name: string, version: string, scope: 'package' | 'version', d: DeprecationInfo): LifecycleWarning {
  const subject = scope === 'package' ? name : `${name}@${version}`;
  const { reason, message, replacement } = d;
  return {
    kind: 'deprecated',
    name,
    version,
    scope,
    reason,
    message,
    replacement,
    from_lockfile: false,
    text: deprecationText(subject, d),
  };
}

function yanked(name: string, version: string, reason: string | null, fromLockfile: boolean): LifecycleWarning {
  const why = reason ? `: ${oneLine(reason)}` : '';
  const text = fromLockfile
    ? `${name}@${version} from synapse.lock is yanked${why}; run synapse pkg update ${name} to move off it`
    : `${name}@${version} is yanked${why}; it was chosen because synapse.json asks for exactly this version`;
  return {
    kind: 'yanked',
    name,
    version,
    scope: null,
    reason,
    message: null,
    replacement: null,
    from_lockfile: fromLockfile,
    text: oneLine(text),
  };
}

/** The warnings for one installed package, from its document. */
export function warningsFor(info: PackageInfo, installed: { name: string; version: string }, fromLockfile: boolean): LifecycleWarning[] {
  const { name, version } = installed;
  const warnings: LifecycleWarning[] = [];
  if (info.deprecation) warnings.push(deprecated(name, version, 'package', info.deprecation));
  const entry = info.versions.find((v) => v.version === version);
  if (entry?.deprecation) warnings.push(deprecated(name, version, 'version', entry.deprecation));
  if (entry?.yanked) warnings.push(yanked(name, version, entry.yankReason ?? null, fromLockfile));
  return warnings;
}

/**
 * Every warning for these installed packages. `locked` holds the `name@version`s synapse.lock had
 * before this install. Best effort: a document that cannot be read (offline and not cached, or
 * the registry failing) gives no warning rather than a failed install.
 * Never rejects: it runs beside the downloads.
 */
export async function lifecycleWarnings(
  source: PackageSource,
  packages: readonly { name: string; version: string }[],
  locked: ReadonlySet<string>,
): Promise<LifecycleWarning[]> {
  // After one failure the rest are skipped: a registry that is down would otherwise cost each
  // package its own timeout, for an install that needs no network at all.
  let failed = false;
  const found = await mapLimit([...packages], FETCHES_AT_ONCE, async ({ name, version }) => {
    if (failed) return [];
    const info = await source.getPackage(name).catch((error: { code?: unknown }) => {
      // Offline, a document missing from the cache says nothing about the others.
      if (error?.code !== 'offline_missing') failed = true;
      return null;
    });
    return info ? warningsFor(info, { name, version }, locked.has(`${name}@${version}`)) : [];
  });
  return found.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
