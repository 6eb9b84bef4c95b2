import { join } from 'node:path';
import { readLockfile } from '../../../core/src/lockfile/file.ts';
import { compareVersionsDesc, parseVersion } from '../../../core/src/names.ts';
import { contains, parseRangeSet, ver } from '../../../core/src/resolver/version-set.ts';
import type { Context } from '../context.ts';
import { EXIT_USER } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { mapLimit } from '../../../core/src/pool.ts';
import { LOCK_FILE, requireProject } from '../project.ts';
import { formatTable } from '../table.ts';

interface PackageDoc {
  latest?: unknown;
  dist_tags?: Record<string, unknown>;
  versions?: { version?: unknown; yanked?: unknown }[];
}

export interface OutdatedRow {
  name: string;
  range: string;
  /** Locked version; null when not installed yet. */
  current: string | null;
  /** The newest non-yanked version the range in synapse.json allows. */
  wanted: string | null;
  /** The version the latest dist-tag points at. */
  latest: string | null;
}

/** The newest non-yanked version of doc within range, by the resolver's own range rules. */
function newestWithin(doc: PackageDoc, range: string): string | null {
  const set = parseRangeSet(range);
  if (set === null) return null;
  const versions = (doc.versions ?? [])
    .filter((v) => v?.yanked !== true)
    .map((v) => parseVersion(v?.version))
    .filter((p) => p.ok)
    .map((p) => p.value as string)
    .filter((v) => contains(set, ver(v)));
  return versions.sort(compareVersionsDesc)[0] ?? null;
}

/**
 * `outdated`: for each dependency in synapse.json, the locked version, the newest its range
 * allows and the latest; with --exit-code, exit 1 when any is behind (for CI).
 */
export async function outdated(ctx: Context, options: { exitCode?: boolean }): Promise<CommandOutput> {
  const { dir, manifest } = await requireProject(ctx);
  const lock = await readLockfile(join(dir, LOCK_FILE));
  const locked = new Map((lock?.packages ?? []).map((p) => [p.name, p.version]));
  const deps = Object.entries(manifest.dependencies ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  ctx.progress.step(`Checking ${deps.length} dependenc${deps.length === 1 ? 'y' : 'ies'}`);
  // As many requests as synapse.json has dependencies (the manifest rules cap those), 8 at a time.
  const rows = await mapLimit(deps, 8, async ([name, range]): Promise<OutdatedRow> => {
    const doc = (await apiRequest<PackageDoc>(ctx, { path: `/packages/${seg(name)}`, auth: 'optional' })) ?? {};
    const tag = parseVersion(doc.dist_tags?.latest ?? doc.latest);
    return { name, range, current: locked.get(name) ?? null, wanted: newestWithin(doc, range), latest: tag.ok ? tag.value : null };
  });
  const behind = rows.filter(
    (r) =>
      r.current === null ||
      (r.wanted !== null && r.wanted !== r.current) ||
      (r.latest !== null && r.latest !== r.current && compareVersionsDesc(r.latest, r.current) < 0),
  );
  const text =
    deps.length === 0
      ? 'No dependencies in synapse.json'
      : behind.length === 0
        ? deps.length === 1
          ? 'The dependency is up to date'
          : `All ${deps.length} dependencies are up to date`
        : formatTable(
            ['Package', 'Current', 'Wanted', 'Latest', 'Range'],
            behind.map((r) => [r.name, r.current ?? 'not installed', r.wanted ?? '-', r.latest ?? '-', r.range]),
          );
  return output({ outdated: behind, dependencies: rows }, text, options.exitCode && behind.length > 0 ? EXIT_USER : undefined);
}
