/**
 * The install's one-line note about advisories: which installed versions the registry says are
 * affected (each version entry of a package document carries the summary). Read from the documents
 * the install already has, never fails an install, and points at `synapse pkg audit` for the rest.
 */
import type { PackageSource } from '../../core/src/resolver/source.ts';
import { plural } from './format.ts';
import { mapLimit } from '../../core/src/pool.ts';

export interface InstalledAdvisory {
  name: string;
  version: string;
  count: number;
  highest: string | null;
  ids: string[];
}

const LEVELS = ['critical', 'high', 'moderate', 'low'];

/** The installed versions some advisory affects. Best effort: a document that cannot be read says nothing. */
export async function installedAdvisories(
  source: PackageSource,
  packages: readonly { name: string; version: string }[],
): Promise<InstalledAdvisory[]> {
  let failed = false;
  const found = await mapLimit([...packages], 8, async ({ name, version }): Promise<InstalledAdvisory[]> => {
    if (failed) return [];
    const info = await source.getPackage(name).catch(() => {
      failed = true;
      return null;
    });
    const advisories = info?.versions.find((v) => v.version === version)?.advisories;
    return advisories ? [{ name, version, count: advisories.count, highest: advisories.highest, ids: [...advisories.ids] }] : [];
  });
  return found.flat().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** "2 installed packages have known advisories (1 critical, 1 moderate); run synapse pkg audit for details", or null. */
export function advisoryNote(affected: readonly InstalledAdvisory[]): string | null {
  if (affected.length === 0) return null;
  const counts = LEVELS.map((level) => [level, affected.filter((a) => a.highest === level).length] as const).filter(([, n]) => n > 0);
  const unknown = affected.filter((a) => a.highest === null || !LEVELS.includes(a.highest)).length;
  const parts = [...counts.map(([level, n]) => `${n} ${level}`), ...(unknown > 0 ? [`${unknown} of unknown severity`] : [])];
  const subject = affected.length === 1 ? '1 installed package has' : `${plural(affected.length, 'installed package')} have`;
  return `${subject} known advisories (${parts.join(', ')}); run synapse pkg audit for details`;
}
