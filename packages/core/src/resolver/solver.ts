/**
 * PubGrub (Weizenbaum 2018): unit propagation over incompatibilities, conflict-driven learning
 * with backjumping, and decisions that pick the most constrained package first and its highest
 * allowed version (or its locked one).
 */
import { RegistryError } from '../errors.ts';
import { incompatibility, isFailure, ROOT, type Incompatibility, type NamedTerm } from './incompatibility.ts';
import type { PackageSource, PackageVersionInfo } from './source.ts';
import { contradicts, intersectTerms, isEmptyTerm, neg, negate, pos, satisfies, type Term } from './term.ts';
import { compare, ver, type Ver } from './version.ts';
import { ANY, between, contains, difference, EMPTY, exactly, parseRangeSet, singleVersion, type VersionSet } from './version-set.ts';

export interface SolveInput {
  dependencies: Readonly<Record<string, string>>;
  source: PackageSource;
  /** name → version to keep when still allowed. */
  locked?: ReadonlyMap<string, string>;
  /** Names whose locked version is ignored. */
  update?: ReadonlySet<string>;
  /** Work budget (propagation, conflict and decision steps); default MAX_STEPS. */
  maxSteps?: number;
}

/** Far above any real graph (10,000 packages resolve in well under 100,000 steps). */
export const MAX_STEPS = 2_000_000;
/** Registry metadata is untrusted: past these counts a package or version is refused. */
export const MAX_VERSIONS_PER_PACKAGE = 10_000;
export const MAX_DEPENDENCIES_PER_VERSION = 1_000;

/** Refuses root ranges the interval algebra cannot represent, before any work starts. */
function checkRootRanges(dependencies: Readonly<Record<string, string>>): void {
  const bad = Object.entries(dependencies).filter(([, range]) => typeof range !== 'string' || parseRangeSet(range) === null);
  if (bad.length === 0) return;
  const list = bad.map(([name, range]) => `${name} "${String(range)}"`).join(', ');
  throw new RegistryError(400, 'invalid_range', `Not a version range: ${list}`, {
    data: { invalid: Object.fromEntries(bad) },
  });
}

/** A version the solver can use: SemVer text, a bounded dependency list, every range parseable. */
function usable(item: PackageVersionInfo): Ver | null {
  let v: Ver;
  try {
    v = ver(item.version);
  } catch {
    return null;
  }
  // A plain loop: this runs for every version of every package fetched, so it allocates nothing.
  let count = 0;
  const deps = item.dependencies ?? {};
  for (const dep in deps) {
    if (++count > MAX_DEPENDENCIES_PER_VERSION) return null;
    const range = deps[dep];
    if (typeof range !== 'string' || parseRangeSet(range) === null) return null;
  }
  return v;
}

export interface SolvedPackage {
  name: string;
  version: string;
  /** Dependency name → the version chosen for it. */
  dependencies: Record<string, string>;
  yanked: boolean;
  tarball?: string;
  integrity?: string;
}

export interface PackageData {
  readonly exists: boolean;
  /** Ascending. */
  readonly versions: readonly Ver[];
  readonly infos: readonly PackageVersionInfo[];
  readonly yanked: readonly Ver[];
  readonly locked: Ver | null;
  readonly similar: readonly string[];
}

export type SolveOutcome =
  | { ok: true; packages: SolvedPackage[]; stats: SolveStats }
  | { ok: false; failure: Incompatibility; packages: ReadonlyMap<string, PackageData>; stats: SolveStats };

export interface SolveStats {
  decisions: number;
  conflicts: number;
}

interface Assignment {
  readonly name: string;
  readonly term: Term;
  readonly level: number;
  /** null for a decision. */
  readonly cause: Incompatibility | null;
  readonly index: number;
}

interface PackageState {
  assignments: Assignment[];
  acc: Term | null;
  decision: Ver | null;
}

type Relation = { kind: 'satisfied' } | { kind: 'contradicted' } | { kind: 'inconclusive' } | { kind: 'almost'; term: NamedTerm };

const SATISFIED: Relation = { kind: 'satisfied' };
const CONTRADICTED: Relation = { kind: 'contradicted' };
const INCONCLUSIVE: Relation = { kind: 'inconclusive' };
const ROOT_VERSION = ver('0.0.0');

/** Runs PubGrub to completion; see resolve() for the public entry point. */
export async function solve(input: SolveInput): Promise<SolveOutcome> {
  const { source } = input;
  const locked = input.locked ?? new Map<string, string>();
  const update = input.update ?? new Set<string>();
  const stats: SolveStats = { decisions: 0, conflicts: 0 };
  checkRootRanges(input.dependencies);
  const maxSteps = input.maxSteps ?? MAX_STEPS;
  let steps = 0;
  /** Every loop below calls this, so no input can make the solver run unbounded. */
  function tick(): void {
    if (++steps <= maxSteps) return;
    throw new RegistryError(422, 'resolution_too_complex', `Dependency resolution gave up after ${maxSteps} steps`, {
      data: { steps: maxSteps, decisions: stats.decisions, conflicts: stats.conflicts },
    });
  }

  // ---- metadata -------------------------------------------------------------------------
  const loaded = new Map<string, PackageData>();
  const loading = new Map<string, Promise<PackageData>>();
  loaded.set(ROOT, {
    exists: true,
    versions: [ROOT_VERSION],
    infos: [{ version: '0.0.0', dependencies: input.dependencies }],
    yanked: [],
    locked: null,
    similar: [],
  });

  async function fetchData(name: string): Promise<PackageData> {
    const info = await source.getPackage(name);
    if (!info) {
      const similar = source.similarNames ? await source.similarNames(name) : [];
      return { exists: false, versions: [], infos: [], yanked: [], locked: null, similar };
    }
    if (info.versions.length > MAX_VERSIONS_PER_PACKAGE) {
      throw new RegistryError(
        502,
        'registry_error',
        `The registry lists ${info.versions.length} versions of ${name}; at most ${MAX_VERSIONS_PER_PACKAGE} are accepted`,
      );
    }
    const rows: { v: Ver; info: PackageVersionInfo }[] = [];
    for (const item of info.versions) {
      // A version the registry should never have accepted (bad SemVer, a range we cannot
      // represent, too many dependencies) is unusable, so invisible.
      const v = usable(item);
      if (v !== null) rows.push({ v, info: item });
    }
    rows.sort((a, b) => compare(a.v, b.v));
    const lockedText = update.has(name) ? undefined : locked.get(name);
    const lockedRow = lockedText === undefined ? undefined : rows.find((r) => r.info.version === lockedText);
    return {
      exists: true,
      versions: rows.map((r) => r.v),
      infos: rows.map((r) => r.info),
      yanked: rows.filter((r) => r.info.yanked === true).map((r) => r.v),
      locked: lockedRow?.v ?? null,
      similar: [],
    };
  }

  /** Starts (once) fetching a package and, as soon as it arrives, what it likely needs next. */
  function load(name: string): Promise<PackageData> {
    let pending = loading.get(name);
    if (!pending) {
      pending = fetchData(name);
      loading.set(name, pending);
      // Prefetch runs ahead of the solver; a failure is reported where the data is awaited.
      pending.then(
        (data) => {
          loaded.set(name, data);
          const likely = likelyVersion(data);
          if (likely) for (const dep of Object.keys(likely.dependencies)) if (!loading.has(dep)) load(dep).catch(() => {});
        },
        () => {},
      );
    }
    return pending;
  }

  function likelyVersion(data: PackageData): PackageVersionInfo | undefined {
    if (data.locked) return data.infos[data.versions.indexOf(data.locked)];
    for (let i = data.infos.length - 1; i >= 0; i--) if (data.infos[i]!.yanked !== true) return data.infos[i];
    return undefined;
  }

  async function ensureLoaded(names: readonly string[]): Promise<void> {
    const missing = names.filter((n) => !loaded.has(n));
    if (missing.length > 0) {
      for (const [i, data] of (await Promise.all(missing.map(load))).entries()) loaded.set(missing[i]!, data);
    }
  }

  // ---- incompatibilities ------------------------------------------------------------------
  const byPackage = new Map<string, Incompatibility[]>();
  function addIncompatibility(inc: Incompatibility): void {
    for (const { name } of inc.terms) {
      let list = byPackage.get(name);
      if (!list) byPackage.set(name, (list = []));
      list.push(inc);
    }
  }

  const dependencySets = new Map<string, VersionSet>();
  /** The versions a dependency edge accepts: yanked ones drop out unless pinned or locked. */
  function dependencySet(dep: string, range: string): VersionSet {
    const key = `${dep}\0${range}`;
    let set = dependencySets.get(key);
    if (set) return set;
    // usable() dropped every version whose ranges do not parse, so this never falls back.
    set = parseRangeSet(range) ?? EMPTY;
    const data = loaded.get(dep);
    if (data && data.yanked.length > 0 && singleVersion(set) === null) {
      for (const y of data.yanked) if (data.locked === null || compare(y, data.locked) !== 0) set = difference(set, exactly(y));
    }
    dependencySets.set(key, set);
    return set;
  }

  const dependencyIncompatibilities = new Map<string, Incompatibility | null>();
  /**
   * "name (at the run of neighbouring versions around index that share this dependency)
   * depends on dep range". Widening to the run is what lets one learned fact cover 500 versions.
   */
  function dependencyIncompatibility(name: string, index: number, dep: string, range: string): Incompatibility | null {
    const data = loaded.get(name)!;
    let lo = index;
    let hi = index;
    while (lo > 0 && data.infos[lo - 1]!.dependencies[dep] === range) lo--;
    while (hi < data.infos.length - 1 && data.infos[hi + 1]!.dependencies[dep] === range) hi++;
    const key = `${name}\0${lo}\0${hi}\0${dep}`;
    if (dependencyIncompatibilities.has(key)) return dependencyIncompatibilities.get(key)!;
    const own = between(lo === 0 ? null : data.versions[lo]!, hi === data.versions.length - 1 ? null : data.versions[hi + 1]!);
    const target = dependencySet(dep, range);
    const terms: NamedTerm[] = [
      { name, term: pos(name === ROOT ? ANY : own) },
      { name: dep, term: neg(target) },
    ];
    const built = incompatibility(terms, { kind: 'dependency', target: dep, range: target });
    // A self-dependency that every version in the run satisfies says nothing.
    const result = built.terms.length === 1 && isEmptyTerm(built.terms[0]!.term) ? null : built;
    dependencyIncompatibilities.set(key, result);
    if (result) addIncompatibility(result);
    return result;
  }

  // ---- partial solution -------------------------------------------------------------------
  const assignments: Assignment[] = [];
  const states = new Map<string, PackageState>();
  const candidates = new Set<string>();
  let level = 0;

  function stateOf(name: string): PackageState {
    let st = states.get(name);
    if (!st) states.set(name, (st = { assignments: [], acc: null, decision: null }));
    return st;
  }

  function refreshCandidate(name: string, st: PackageState): void {
    if (st.decision === null && st.acc?.positive === true) candidates.add(name);
    else candidates.delete(name);
  }

  function assign(name: string, term: Term, cause: Incompatibility | null): void {
    const st = stateOf(name);
    const a: Assignment = { name, term, level, cause, index: assignments.length };
    assignments.push(a);
    st.assignments.push(a);
    st.acc = st.acc ? intersectTerms(st.acc, term) : term;
    refreshCandidate(name, st);
  }

  function backtrack(to: number): void {
    const touched = new Set<string>();
    while (assignments.length > 0 && assignments[assignments.length - 1]!.level > to) touched.add(assignments.pop()!.name);
    level = to;
    for (const name of touched) {
      const st = states.get(name)!;
      while (st.assignments.length > 0 && st.assignments[st.assignments.length - 1]!.level > to) {
        if (st.assignments.pop()!.cause === null) st.decision = null;
      }
      st.acc = null;
      for (const a of st.assignments) st.acc = st.acc ? intersectTerms(st.acc, a.term) : a.term;
      refreshCandidate(name, st);
    }
  }

  function relation(inc: Incompatibility): Relation {
    let open: NamedTerm | null = null;
    for (const t of inc.terms) {
      const st = states.get(t.name);
      if (st?.decision) {
        // Decided: the known term is one version, so membership answers without set algebra.
        if (contains(t.term.set, st.decision) === t.term.positive) continue;
        return CONTRADICTED;
      }
      const acc = st?.acc;
      if (acc) {
        if (contradicts(acc, t.term)) return CONTRADICTED;
        if (satisfies(acc, t.term)) continue;
      }
      if (open) return INCONCLUSIVE;
      open = t;
    }
    return open ? { kind: 'almost', term: open } : SATISFIED;
  }

  /** The earliest assignment after which the partial solution satisfies `term`. */
  function satisfier(name: string, term: Term): Assignment {
    let acc: Term | null = null;
    for (const a of states.get(name)!.assignments) {
      acc = acc ? intersectTerms(acc, a.term) : a.term;
      if (satisfies(acc, term)) return a;
    }
    throw new Error(`internal: no satisfier for ${name}`);
  }

  /** Learns from a satisfied incompatibility, backjumps, and returns the learned fact. */
  function resolveConflict(start: Incompatibility): Incompatibility {
    stats.conflicts++;
    let inc = start;
    for (;;) {
      tick();
      if (isFailure(inc)) throw new SolveFailure(inc);
      let latest: Assignment | null = null;
      let latestTerm: NamedTerm | null = null;
      let previousLevel = 1;
      for (const t of inc.terms) {
        const s = satisfier(t.name, t.term);
        if (latest === null || s.index > latest.index) {
          if (latest !== null) previousLevel = Math.max(previousLevel, latest.level);
          latest = s;
          latestTerm = t;
        } else previousLevel = Math.max(previousLevel, s.level);
      }
      const sat = latest!;
      const satTerm = latestTerm!;
      const diff = intersectTerms(sat.term, negate(satTerm.term));
      const partial = !isEmptyTerm(diff);
      if (partial) previousLevel = Math.max(previousLevel, satisfier(satTerm.name, negate(diff)).level);
      if (sat.cause === null || previousLevel < sat.level) {
        if (inc !== start) addIncompatibility(inc);
        backtrack(previousLevel);
        return inc;
      }
      const terms: NamedTerm[] = [
        ...inc.terms.filter((t) => t.name !== satTerm.name),
        ...sat.cause.terms.filter((t) => t.name !== satTerm.name),
      ];
      if (partial) terms.push({ name: satTerm.name, term: negate(diff) });
      inc = incompatibility(terms, { kind: 'conflict', conflict: inc, other: sat.cause });
    }
  }

  function propagate(first: string): void {
    const changed = [first];
    while (changed.length > 0) {
      const name = changed.pop()!;
      const list = byPackage.get(name) ?? [];
      for (let i = list.length - 1; i >= 0; i--) {
        tick();
        const inc = list[i]!;
        const r = relation(inc);
        if (r.kind === 'satisfied') {
          const learned = resolveConflict(inc);
          const again = relation(learned);
          if (again.kind !== 'almost') throw new Error('internal: learned incompatibility is not almost satisfied');
          assign(again.term.name, negate(again.term.term), learned);
          changed.length = 0;
          changed.push(again.term.name);
          break;
        }
        if (r.kind === 'almost') {
          assign(r.term.name, negate(r.term.term), inc);
          changed.push(r.term.name);
        }
      }
    }
  }

  // ---- decisions ----------------------------------------------------------------------------
  const counts = new Map<string, { acc: Term; count: number }>();

  function choosable(data: PackageData, i: number, set: VersionSet): boolean {
    const v = data.versions[i]!;
    if (!contains(set, v)) return false;
    if (data.infos[i]!.yanked !== true) return true;
    if (data.locked !== null && compare(data.locked, v) === 0) return true;
    const pin = singleVersion(set);
    return pin !== null && compare(pin, v) === 0;
  }

  function allowedCount(name: string, acc: Term): number {
    const hit = counts.get(name);
    if (hit && hit.acc === acc) return hit.count;
    const data = loaded.get(name)!;
    let count = 0;
    for (let i = 0; i < data.versions.length; i++) if (choosable(data, i, acc.set)) count++;
    counts.set(name, { acc, count });
    return count;
  }

  /** Picks the next package, then either decides a version or records why none fits. */
  async function decideNext(): Promise<string | null> {
    if (candidates.size === 0) return null;
    for (const name of candidates) {
      if (!loaded.has(name)) {
        await ensureLoaded([...candidates]);
        break;
      }
    }
    let best: string | null = null;
    let bestCount = Infinity;
    for (const name of candidates) {
      const data = loaded.get(name)!;
      const count = data.exists ? allowedCount(name, states.get(name)!.acc!) : -1;
      if (count < bestCount) {
        best = name;
        bestCount = count;
        if (count <= 0) break;
      }
    }
    const name = best!;
    const data = loaded.get(name)!;
    const set = states.get(name)!.acc!.set;
    if (!data.exists) {
      addIncompatibility(incompatibility([{ name, term: pos(ANY) }], { kind: 'unknown-package', similar: data.similar }));
      return name;
    }
    let index = -1;
    const lockedIndex = data.locked ? data.versions.indexOf(data.locked) : -1;
    if (lockedIndex >= 0 && choosable(data, lockedIndex, set)) index = lockedIndex;
    else for (let i = data.versions.length - 1; i >= 0 && index < 0; i--) if (choosable(data, i, set)) index = i;
    if (index < 0) {
      const versions = data.infos.filter((i) => i.yanked !== true).map((i) => i.version);
      const yanked = data.yanked.map((v) => v.text);
      addIncompatibility(incompatibility([{ name, term: pos(set) }], { kind: 'no-versions', versions, yanked }));
      return name;
    }
    const deps = Object.entries(data.infos[index]!.dependencies);
    await ensureLoaded(deps.map(([dep]) => dep));
    const chosen = data.versions[index]!;
    let conflict = false;
    for (const [dep, range] of deps) {
      const inc = dependencyIncompatibility(name, index, dep, range);
      // Deciding would immediately break this fact: let propagation rule the version out instead.
      if (inc && !conflict) {
        conflict = inc.terms.every((t) => (t.name === name ? t.term.positive && contains(t.term.set, chosen) : isSatisfied(t)));
      }
    }
    if (!conflict) {
      level++;
      stats.decisions++;
      assign(name, pos(exactly(chosen)), null);
      stateOf(name).decision = chosen;
      candidates.delete(name);
    }
    return name;
  }

  function isSatisfied(t: NamedTerm): boolean {
    const acc = states.get(t.name)?.acc;
    return acc !== null && acc !== undefined && satisfies(acc, t.term);
  }

  // ---- main loop ----------------------------------------------------------------------------
  addIncompatibility(incompatibility([{ name: ROOT, term: neg(ANY) }], { kind: 'root' }));
  try {
    let next: string | null = ROOT;
    while (next !== null) {
      tick();
      propagate(next);
      next = await decideNext();
    }
  } catch (error) {
    if (error instanceof SolveFailure) return { ok: false, failure: error.incompatibility, packages: loaded, stats };
    throw error;
  }

  const packages: SolvedPackage[] = [];
  for (const [name, st] of states) {
    if (name === ROOT || st.decision === null) continue;
    const data = loaded.get(name)!;
    const info = data.infos[data.versions.indexOf(st.decision)]!;
    const dependencies: Record<string, string> = {};
    for (const dep of Object.keys(info.dependencies)) dependencies[dep] = states.get(dep)!.decision!.text;
    packages.push({
      name,
      version: st.decision.text,
      dependencies,
      yanked: info.yanked === true,
      ...(info.tarball === undefined ? {} : { tarball: info.tarball }),
      ...(info.integrity === undefined ? {} : { integrity: info.integrity }),
    });
  }
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ok: true, packages, stats };
}

class SolveFailure extends Error {
  constructor(readonly incompatibility: Incompatibility) {
    super('version solving failed');
  }
}
