/**
 * The smallest upgrade that removes an advisory: the resolver run again on synapse.json with the
 * affected versions of the package hidden, every other package preferring its locked version, and
 * the package itself preferring the lowest unaffected version above the installed one. Resolution
 * failing means no version outside the advisory fits the ranges that bring the package in; when the
 * only unaffected versions are of a higher major, that is said.
 */
import semver from 'semver';
import type { Lockfile } from '../../../core/src/lockfile/format.ts';
import { lockfileFromResolution } from '../../../core/src/lockfile/lock.ts';
import { resolve, ResolutionError } from '../../../core/src/resolver/resolve.ts';
import type { PackageInfo, PackageSource } from '../../../core/src/resolver/source.ts';
import type { Context } from '../context.ts';
import { queryAdvisories } from './findings.ts';

export interface Change {
  name: string;
  from: string | null;
  to: string | null;
}

export type Plan =
  | { ok: true; lockfile: Lockfile; changes: Change[] }
  | { ok: false; reason: 'major_bump' | 'no_fix'; fixedIn: string | null; message: string };

/** Every published version of each package that some advisory affects (one bulk query). */
export async function affectedVersions(ctx: Context, source: PackageSource, names: readonly string[]): Promise<Map<string, Set<string>>> {
  const versions: Record<string, string[]> = {};
  for (const name of names) versions[name] = ((await source.getPackage(name))?.versions ?? []).map((v) => v.version).slice(0, 1_000);
  const answer = await queryAdvisories(ctx, versions);
  return new Map(names.map((name) => [name, new Set(Object.keys(answer.results[name] ?? {}))]));
}

/** The source with these versions removed, as if never published. */
function hiding(source: PackageSource, hidden: ReadonlyMap<string, ReadonlySet<string>>): PackageSource {
  return {
    ...source,
    async getPackage(name) {
      const info = await source.getPackage(name);
      const drop = hidden.get(name);
      if (!info || !drop) return info;
      return { ...info, versions: info.versions.filter((v) => !drop.has(v.version)) } satisfies PackageInfo;
    },
  };
}

function changesBetween(before: Lockfile, after: Lockfile): Change[] {
  const was = new Map(before.packages.map((p) => [p.name, p.version]));
  const now = new Map(after.packages.map((p) => [p.name, p.version]));
  const names = [...new Set([...was.keys(), ...now.keys()])].sort();
  return names.filter((n) => was.get(n) !== now.get(n)).map((n) => ({ name: n, from: was.get(n) ?? null, to: now.get(n) ?? null }));
}

export interface PlanRequest {
  source: PackageSource;
  lock: Lockfile;
  root: { name?: string; dependencies: Record<string, string> };
  /** Package → its affected versions, hidden from the resolution. */
  hidden: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Plans the upgrade away from every hidden version at once. */
export async function planUpgrade(request: PlanRequest): Promise<Plan> {
  const locked = new Map(request.lock.packages.map((p) => [p.name, p.version]));
  for (const [name, affected] of request.hidden) {
    const info = await request.source.getPackage(name);
    const installed = locked.get(name);
    const clean = (info?.versions ?? [])
      .map((v) => v.version)
      .filter((v) => !affected.has(v) && !!installed && semver.gt(v, installed))
      .sort(semver.compare);
    if (clean[0]) locked.set(name, clean[0]);
  }
  try {
    const resolution = await resolve({ root: request.root, source: hiding(request.source, request.hidden), locked });
    const lockfile = lockfileFromResolution(request.root.dependencies, resolution);
    return { ok: true, lockfile, changes: changesBetween(request.lock, lockfile) };
  } catch (error) {
    if (!(error instanceof ResolutionError)) throw error;
    return explainNoFix(request, locked);
  }
}

async function explainNoFix(request: PlanRequest, preferred: Map<string, string>): Promise<Plan> {
  const [name] = [...request.hidden.keys()];
  const installed = request.lock.packages.find((p) => p.name === name)?.version ?? null;
  const fixedIn = name !== undefined && installed !== null && preferred.get(name) !== installed ? preferred.get(name)! : null;
  if (fixedIn && installed && semver.major(fixedIn) > semver.major(installed)) {
    return {
      ok: false,
      reason: 'major_bump',
      fixedIn,
      message: `no fix without a major bump: ${name} is clean from ${fixedIn}, outside the ranges that bring it in`,
    };
  }
  if (fixedIn)
    return {
      ok: false,
      reason: 'no_fix',
      fixedIn,
      message: `no fix the ranges allow: ${name} ${fixedIn} is clean, but what depends on ${name} does not accept it`,
    };
  return {
    ok: false,
    reason: 'no_fix',
    fixedIn: null,
    message: `no fix: no published version of ${name} above ${installed ?? 'the installed one'} is free of the advisory`,
  };
}
