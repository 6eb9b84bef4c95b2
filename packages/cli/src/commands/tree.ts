import { join } from 'node:path';
import { readLockfile } from '../../../core/src/lockfile/file.ts';
import type { Lockfile } from '../../../core/src/lockfile/format.ts';
import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { sameDependencies } from '../install-state.ts';
import { dependencyTree, drawTree, whyPaths } from '../lock-graph.ts';
import { output, type CommandOutput } from '../output.ts';
import { LOCK_FILE, requireProject, type ProjectManifest } from '../project.ts';

export interface TreeOptions {
  depth?: string;
}

/** The project's lockfile, with a warning when it no longer matches synapse.json. */
async function projectLock(ctx: Context): Promise<{ manifest: ProjectManifest; lock: Lockfile; warnings: string[] }> {
  const { dir, manifest } = await requireProject(ctx);
  const lock = await readLockfile(join(dir, LOCK_FILE));
  if (lock === null) throw userError('lockfile_missing', `No ${LOCK_FILE} in ${dir}`, 'Run synapse pkg install first.');
  const stale = !sameDependencies(lock.root, { ...manifest.dependencies });
  return {
    manifest,
    lock,
    warnings: stale ? [`${LOCK_FILE} does not match the dependencies in synapse.json; run synapse pkg install`] : [],
  };
}

function parseDepth(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (text === 'all' || text === 'Infinity') return Infinity;
  if (!/^\d{1,4}$/.test(text))
    throw userError('invalid_option', `--depth takes a number of levels (0: direct dependencies only) or "all", not "${text}"`);
  return Number(text);
}

const rootLabel = (m: ProjectManifest) => (m.name ? `${m.name}${m.version ? ` ${m.version}` : ''}` : 'this project');

/** `list` (direct dependencies unless --depth) and `tree` (everything unless --depth): what is installed. */
export async function tree(ctx: Context, options: TreeOptions, defaultDepth: number): Promise<CommandOutput> {
  const { manifest, lock, warnings } = await projectLock(ctx);
  const nodes = dependencyTree(lock, parseDepth(options.depth, defaultDepth));
  warnings.forEach((w) => ctx.progress.note(`warning: ${w}`));
  const lines = [rootLabel(manifest), ...drawTree(nodes)];
  if (nodes.length === 0) lines.push('(no dependencies)');
  if (lines.some((l) => l.endsWith(' (*)'))) lines.push('(*) shown above with its dependencies');
  return output({ name: manifest.name ?? null, version: manifest.version ?? null, dependencies: nodes, warnings }, lines.join('\n'));
}

/** `why NAME`: the dependency paths from synapse.json to NAME. */
export async function why(ctx: Context, name: string): Promise<CommandOutput> {
  const { manifest, lock, warnings } = await projectLock(ctx);
  const locked = lock.packages.find((p) => p.name === name);
  if (!locked) {
    throw userError(
      'not_installed',
      `${name} is not in ${LOCK_FILE}: nothing in this project depends on it`,
      `Run synapse pkg add ${name} to add it.`,
    );
  }
  const { paths, truncated } = whyPaths(lock, name);
  const root = manifest.name ?? 'synapse.json';
  warnings.forEach((w) => ctx.progress.note(`warning: ${w}`));
  const lines = [
    `${name} ${locked.version} is needed by:`,
    ...paths.map((p) =>
      p.path.length === 1
        ? `  ${root} (synapse.json asks for ${name} ${p.range})`
        : `  ${root} → ${p.path
            .slice(0, -1)
            .map((s) => `${s.name} ${s.version}`)
            .join(' → ')}`,
    ),
    ...(truncated ? [`  … and more paths (the first ${paths.length} are shown)`] : []),
  ];
  return output({ name, version: locked.version, paths, truncated, warnings }, lines.join('\n'));
}
