import type { CompiledAdvisory } from '../../advisories/compiled.ts';

export const advisoryUrl = (base: string, id: string) => `${base}/api/v1/advisories/${encodeURIComponent(id)}`;

/** The OSV document as stored, with the level in `database_specific.severity` (GitHub's convention). */
export function advisoryDocumentView(advisory: CompiledAdvisory) {
  const doc = advisory.document;
  if (advisory.level === null) return doc;
  return { ...doc, database_specific: { ...doc.database_specific, severity: advisory.level.toUpperCase() } };
}

/** An advisory in the bulk query's answer. */
export function advisoryBriefView(base: string, advisory: CompiledAdvisory) {
  const { severity } = advisory;
  return {
    id: advisory.id,
    aliases: advisory.aliases,
    summary: advisory.summary,
    level: advisory.level,
    cvss: severity.vector === null ? null : { type: severity.type ?? 'CVSS_V3', vector: severity.vector, score: severity.score },
    published: advisory.published,
    modified: advisory.modified,
    url: advisoryUrl(base, advisory.id),
  };
}

/** An advisory in a package's list: the brief view, whether it is withdrawn, and its affected entries. */
export function advisoryListingView(base: string, advisory: CompiledAdvisory) {
  return { ...advisoryBriefView(base, advisory), withdrawn: advisory.withdrawn, affected: advisory.document.affected ?? [] };
}
