/**
 * What `synapse pkg audit` reports: the registry's bulk query asked about every locked version, and
 * each answer turned into a finding with the dependency paths that bring the package in.
 */
import type { Lockfile } from '../../../core/src/lockfile/format.ts';
import type { Context } from '../context.ts';
import { apiRequest } from '../http.ts';
import { whyPaths } from '../lock-graph.ts';

/** The registry answers at most this many names a query; a bigger lockfile is asked in parts. */
const NAMES_PER_QUERY = 5_000;

interface QueryAnswer {
  results?: Record<string, Record<string, { id: string; fixed: string | null }[]>>;
  advisories?: Record<string, { id: string; aliases?: string[]; summary?: string; level?: string | null; url?: string }>;
}

export interface Finding {
  name: string;
  version: string;
  id: string;
  aliases: string[];
  summary: string;
  /** low, moderate, high, critical; null when the advisory gives none. */
  level: string | null;
  /** The lowest version the advisory no longer affects, when it names one. */
  fixed: string | null;
  url: string | null;
  /** Each path from a dependency in synapse.json down to the package, as `name version` steps. */
  paths: string[][];
}

/** Asks the registry which advisories affect these `name → versions`; returns the raw answer merged. */
export async function queryAdvisories(ctx: Context, query: Record<string, string[]>): Promise<Required<QueryAnswer>> {
  const names = Object.keys(query);
  const merged: Required<QueryAnswer> = { results: {}, advisories: {} };
  for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
    const part = Object.fromEntries(names.slice(i, i + NAMES_PER_QUERY).map((n) => [n, query[n]!]));
    const answer = (await apiRequest<QueryAnswer>(ctx, { method: 'POST', path: '/advisories/query', json: part, auth: 'optional' })) ?? {};
    Object.assign(merged.results, answer.results ?? {});
    Object.assign(merged.advisories, answer.advisories ?? {});
  }
  return merged;
}

/** Every finding for the locked versions, sorted by package then advisory id. */
export async function lockFindings(ctx: Context, lock: Lockfile): Promise<Finding[]> {
  const answer = await queryAdvisories(ctx, Object.fromEntries(lock.packages.map((p) => [p.name, [p.version]])));
  const findings: Finding[] = [];
  for (const pkg of lock.packages) {
    for (const hit of answer.results[pkg.name]?.[pkg.version] ?? []) {
      const advisory = answer.advisories[hit.id];
      const { paths } = whyPaths(lock, pkg.name, 5);
      findings.push({
        name: pkg.name,
        version: pkg.version,
        id: hit.id,
        aliases: advisory?.aliases ?? [],
        summary: advisory?.summary ?? '',
        level: advisory?.level ?? null,
        fixed: hit.fixed,
        url: advisory?.url ?? null,
        paths: paths.map((p) => p.path.map((step) => `${step.name} ${step.version}`)),
      });
    }
  }
  return findings.sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
}
