/**
 * Advisories parsed and compiled for matching, cached per instance under (seq, revision). Every
 * lookup still reads the revisions from the database, so an edit made through another instance is
 * seen at once; only the parsing and compiling of an unchanged advisory is saved.
 */
import type { AdvisoryRow } from '../db/schema.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { Db } from '../db/users.ts';
import { compileAffected, type AffectMatcher } from './affects.ts';
import type { OsvDocument } from './advisory.ts';
import { canonicalName } from '../../../core/src/names.ts';
import { levelFromWord, severityOf, type Severity, type SeverityLevel } from './severity.ts';
import { advisoryKeys, advisoryRows } from './store.ts';

export interface CompiledAdvisory {
  seq: number;
  revision: number;
  id: string;
  aliases: string[];
  summary: string;
  level: SeverityLevel | null;
  readonly severity: Severity;
  published: string;
  modified: string;
  withdrawn: string | null;
  document: OsvDocument;
  /** Canonical package name → its compiled ranges. */
  matchers: ReadonlyMap<string, AffectMatcher>;
}

export interface AdvisoryCache {
  get(seq: number, revision: number): CompiledAdvisory | undefined;
  set(advisory: CompiledAdvisory): void;
}

export function createAdvisoryCache(options: { maxEntries: number }): AdvisoryCache {
  // The oldest entry goes first when full. Hits are not moved to the end: a bulk query hits thousands
  // at once, and moving each cost more than recompiling the odd advisory evicted while still in use.
  const entries = new Map<number, CompiledAdvisory>();
  return {
    get(seq, revision) {
      const hit = entries.get(seq);
      return hit && hit.revision === revision ? hit : undefined;
    },
    set(advisory) {
      entries.delete(advisory.seq);
      entries.set(advisory.seq, advisory);
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}

/** A stored row, compiled (its document was validated when it was written). */
export function compileRow(row: AdvisoryRow): CompiledAdvisory {
  const document = JSON.parse(row.document) as OsvDocument;
  const byName = new Map<string, Parameters<typeof compileAffected>[0][number][]>();
  for (const entry of document.affected ?? []) {
    const canonical = canonicalName(entry.package!.name);
    const specs = byName.get(canonical) ?? [];
    specs.push({ ranges: entry.ranges ?? [], versions: entry.versions ?? [] });
    byName.set(canonical, specs);
  }
  let severity: Severity | undefined;
  return {
    seq: Number(row.seq),
    revision: Number(row.revision),
    id: row.id,
    aliases: document.aliases ?? [],
    summary: row.summary,
    level: levelFromWord(row.level),
    // Scored when first shown: matching never needs it.
    get severity() {
      return (severity ??= severityOf(document));
    },
    published: row.published,
    modified: row.modified,
    withdrawn: row.withdrawn,
    document,
    matchers: new Map([...byName].map(([name, specs]) => [name, compileAffected(specs)])),
  };
}

export interface LookupDeps {
  db: Db;
  readRows: RegistryDatabase['readRows'];
  cache: AdvisoryCache;
}

/** The advisories naming each of these canonical names (withdrawn ones included), from the cache where it is current. */
export async function advisoriesByName(deps: LookupDeps, canonicals: readonly string[]): Promise<Map<string, CompiledAdvisory[]>> {
  const keys = await advisoryKeys(deps.db, deps.readRows, canonicals);
  const found = new Map<number, CompiledAdvisory>();
  const missing = new Set<number>();
  for (const key of keys) {
    const hit = deps.cache.get(key.seq, key.revision);
    if (hit) found.set(key.seq, hit);
    else missing.add(key.seq);
  }
  if (missing.size > 0) {
    for (const row of await advisoryRows(deps.db, [...missing])) {
      const compiled = compileRow(row);
      deps.cache.set(compiled);
      found.set(compiled.seq, compiled);
    }
  }
  const byName = new Map<string, CompiledAdvisory[]>();
  for (const key of keys) {
    const advisory = found.get(key.seq);
    if (!advisory) continue; // deleted between the two reads
    const list = byName.get(key.canonical) ?? [];
    list.push(advisory);
    byName.set(key.canonical, list);
  }
  return byName;
}
