/**
 * The advisory summary each version entry carries (count, highest level, ids), for the package,
 * version and versions documents. One indexed lookup per document; the advisories come compiled
 * from the per-instance cache when their revision is current. Package documents are cached by the
 * package's updated_at, which every advisory change moves.
 */
import { advisoriesByName, type LookupDeps } from '../advisories/compiled.ts';
import { NO_ADVISORIES, summariesFor, type AdvisorySummary } from '../advisories/match.ts';
import { canonicalName } from '../../../core/src/names.ts';
import type { AppDeps } from './deps.ts';

export const lookupDeps = (deps: AppDeps): LookupDeps => ({ db: deps.db.kysely, readRows: deps.db.readRows, cache: deps.advisories });

export type SummaryOf = (version: string) => AdvisorySummary;

export const noAdvisories: SummaryOf = () => NO_ADVISORIES;

/** The summaries of these versions of the package `name` (any spelling). */
export async function advisorySummaries(deps: AppDeps, name: string, versions: readonly string[]): Promise<SummaryOf> {
  const canonical = canonicalName(name);
  const advisories = (await advisoriesByName(lookupDeps(deps), [canonical])).get(canonical);
  if (!advisories) return noAdvisories;
  const summaries = summariesFor(advisories, canonical, versions);
  return (version) => summaries.get(version) ?? NO_ADVISORIES;
}
