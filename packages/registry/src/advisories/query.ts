/**
 * The bulk query behind `synapse pkg audit`: a whole lockfile's `{name: [versions]}` in, the
 * advisories affecting each version out. One indexed lookup per 1,000 names fetches which
 * advisories name them (and at which revision); matching runs in memory on ranges compiled once
 * per revision and cached, so a warm query costs the lookup and a few comparisons per version.
 */
import { validationError, type FieldError } from '../../../core/src/errors.ts';
import { canonicalName, parsePackageName, parseVersion } from '../../../core/src/names.ts';
import { semverOf } from './affects.ts';
import { advisoriesByName, type CompiledAdvisory, type LookupDeps } from './compiled.ts';
import { findingsFor } from './match.ts';

export const QUERY_LIMITS = { names: 5_000, versions: 20_000 };

export interface QueryFinding {
  id: string;
  fixed: string | null;
}

export interface QueryAnswer {
  /** name → version → the advisories affecting it; names and versions with none are left out. */
  results: Record<string, Record<string, QueryFinding[]>>;
  /** Every advisory named in `results`, once. */
  advisories: Map<string, CompiledAdvisory>;
}

/** Checks the body: valid names and versions, within the caps; lists every problem (the first 20). */
export function parseQuery(body: Record<string, string[]>): Map<string, string[]> {
  const entries = Object.entries(body);
  const errors: FieldError[] = [];
  if (entries.length > QUERY_LIMITS.names) errors.push({ field: '(body)', message: `at most ${QUERY_LIMITS.names} package names a query` });
  const total = entries.reduce((sum, [, versions]) => sum + versions.length, 0);
  if (total > QUERY_LIMITS.versions) errors.push({ field: '(body)', message: `at most ${QUERY_LIMITS.versions} versions a query, in all` });
  if (errors.length > 0) throw validationError(errors, errors.map((e) => e.message).join('; '));
  const query = new Map<string, string[]>();
  for (const [name, versions] of entries) {
    const parsedName = parsePackageName(name);
    if (!parsedName.ok) errors.push({ field: name, message: parsedName.message });
    for (const version of versions) {
      const parsed = parseVersion(version);
      if (!parsed.ok) errors.push({ field: `${name}.${version}`, message: parsed.message });
    }
    query.set(name, versions);
  }
  if (errors.length > 0)
    throw validationError(
      errors.slice(0, 20),
      `${errors.length} invalid ${errors.length === 1 ? 'entry' : 'entries'}: ${errors[0]!.field}: ${errors[0]!.message}`,
    );
  return query;
}

export async function queryAdvisories(deps: LookupDeps, query: ReadonlyMap<string, readonly string[]>): Promise<QueryAnswer> {
  const canonicalOf = new Map([...query.keys()].map((name) => [name, canonicalName(name)]));
  const byName = await advisoriesByName(deps, [...new Set(canonicalOf.values())]);
  const results: QueryAnswer['results'] = {};
  const advisories = new Map<string, CompiledAdvisory>();
  for (const [name, versions] of query) {
    const canonical = canonicalOf.get(name)!;
    const candidates = byName.get(canonical);
    if (!candidates) continue;
    for (const version of new Set(versions)) {
      const findings = findingsFor(candidates, canonical, semverOf(version));
      if (findings.length === 0) continue;
      (results[name] ??= {})[version] = findings.map((f) => ({ id: f.advisory.id, fixed: f.fixed }));
      for (const f of findings) advisories.set(f.advisory.id, f.advisory);
    }
  }
  return { results, advisories };
}
