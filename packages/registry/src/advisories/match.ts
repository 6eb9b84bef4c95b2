/** Which stored advisories affect a version, and the summary package documents carry. Pure. */
import type { SemVer } from 'semver';
import { affects, fixedFor, semverOf } from './affects.ts';
import type { CompiledAdvisory } from './compiled.ts';
import { levelRank, type SeverityLevel } from './severity.ts';

export interface Finding {
  advisory: CompiledAdvisory;
  /** The lowest version out of the advisory's reach above this one, or null when none is known. */
  fixed: string | null;
}

/** The live (not withdrawn) advisories among these that affect `name@version`. */
export function findingsFor(advisories: readonly CompiledAdvisory[], canonical: string, version: SemVer | string): Finding[] {
  const v = typeof version === 'string' ? semverOf(version) : version;
  const findings: Finding[] = [];
  for (const advisory of advisories) {
    const matcher = advisory.matchers.get(canonical);
    if (advisory.withdrawn !== null || !matcher || !affects(matcher, v)) continue;
    findings.push({ advisory, fixed: fixedFor(matcher, v) });
  }
  return findings;
}

/** What a version document carries: how many advisories affect it, the worst level, and their ids. */
export interface AdvisorySummary {
  count: number;
  /** The highest known level; null when none affects it, or none of those has a known level. */
  highest: SeverityLevel | null;
  ids: string[];
}

export const NO_ADVISORIES: AdvisorySummary = Object.freeze({ count: 0, highest: null, ids: [] }) as AdvisorySummary;

export function summarize(findings: readonly Finding[]): AdvisorySummary {
  if (findings.length === 0) return NO_ADVISORIES;
  let highest: SeverityLevel | null = null;
  for (const { advisory } of findings) {
    const level = advisory.level;
    if (level !== null && (highest === null || levelRank(level) > levelRank(highest))) highest = level;
  }
  return { count: findings.length, highest, ids: findings.map((f) => f.advisory.id).sort() };
}

/** The summary of each of a package's versions (versions no advisory affects get NO_ADVISORIES). */
export function summariesFor(
  advisories: readonly CompiledAdvisory[],
  canonical: string,
  versions: readonly string[],
): Map<string, AdvisorySummary> {
  const out = new Map<string, AdvisorySummary>();
  if (advisories.length === 0) return out;
  for (const version of versions) out.set(version, summarize(findingsFor(advisories, canonical, version)));
  return out;
}
