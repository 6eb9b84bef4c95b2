/** What an install did (the --json data), and the text a person reads about it. */
import { humanBytes, plural } from './format.ts';
import type { LifecycleWarning } from './lifecycle-warnings.ts';
import { advisoryNote, type InstalledAdvisory } from './install-advisories.ts';

export interface InstallSummary {
  up_to_date: boolean;
  added: { name: string; version: string }[];
  updated: { name: string; from: string; to: string }[];
  removed: { name: string; version: string }[];
  packages: number;
  lockfile_changed: boolean;
  downloaded: number;
  downloaded_bytes: number;
  /** Packages placed from the store without a download. */
  from_cache: number;
  method: 'link' | 'copy' | null;
  /** Milliseconds since the process started. */
  time_ms: number;
  /** Deprecated packages and versions, and yanked versions kept from synapse.lock (printed on stderr too). */
  warnings: LifecycleWarning[];
  /** Installed versions the registry knows advisories for (the text says so in one line). */
  advisories: InstalledAdvisory[];
}

/** What an install that found nothing to do reports. */
export function upToDateSummary(packages: number): InstallSummary {
  return {
    up_to_date: true,
    added: [],
    updated: [],
    removed: [],
    packages,
    lockfile_changed: false,
    downloaded: 0,
    downloaded_bytes: 0,
    from_cache: 0,
    method: null,
    // Since the process started, as elsewhere; process.uptime does not load perf_hooks for it.
    time_ms: Math.round(process.uptime() * 1000),
    warnings: [],
    advisories: [],
  };
}

/** The text a person reads after an install. */
export function describeInstall(summary: InstallSummary): string {
  const seconds = (summary.time_ms / 1000).toFixed(2);
  const packages = plural(summary.packages, 'package');
  const changed = summary.added.length + summary.updated.length + summary.removed.length > 0;
  if (summary.up_to_date || (!changed && !summary.lockfile_changed && summary.downloaded === 0 && summary.from_cache === 0)) {
    return `Already up to date: ${packages}, nothing to do (${seconds} s)`;
  }
  const lines = [
    ...summary.added.map((p) => `+ ${p.name} ${p.version}`),
    ...summary.updated.map((p) => `~ ${p.name} ${p.from} → ${p.to}`),
    ...summary.removed.map((p) => `- ${p.name} ${p.version}`),
  ];
  const counts = [`${summary.added.length} added`, `${summary.updated.length} updated`, `${summary.removed.length} removed`].join(', ');
  const sources = [
    ...(summary.downloaded > 0 ? [`${summary.downloaded} downloaded (${humanBytes(summary.downloaded_bytes)})`] : []),
    ...(summary.from_cache > 0 ? [`${summary.from_cache} from the cache`] : []),
  ];
  const via = summary.method === 'copy' ? ' (copied: hard links were not possible)' : '';
  lines.push(
    `${packages} in synapse_modules: ${counts}${sources.length ? `; ${sources.join(', ')}` : ''}${via}; ${summary.lockfile_changed ? 'synapse.lock updated' : 'synapse.lock unchanged'} (${seconds} s)`,
  );
  const note = advisoryNote(summary.advisories);
  if (note) lines.push(note);
  return lines.join('\n');
}
