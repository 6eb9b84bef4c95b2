import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { describeInstall, runInstall, type InstallFlags } from '../install.ts';
import { output, type CommandOutput } from '../output.ts';
import { LOCK_FILE, requireProject } from '../project.ts';
import { readLockfile } from '../../../core/src/lockfile/file.ts';
import { join } from 'node:path';

/**
 * Moves the named packages (or every locked one) to the newest versions the ranges in
 * synapse.json allow; the rest stay where they are unless forced.
 */
export async function update(ctx: Context, names: string[], flags: InstallFlags): Promise<CommandOutput> {
  const { dir, manifest } = await requireProject(ctx);
  const dependencies = { ...manifest.dependencies };
  const lock = await readLockfile(join(dir, LOCK_FILE));
  const known = new Set([...Object.keys(dependencies), ...(lock?.packages.map((p) => p.name) ?? [])]);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw userError('unknown_dependency', `Neither a dependency nor in synapse.lock: ${unknown.join(', ')}`);
  const targets = names.length > 0 ? names : [...known];
  const summary = await runInstall(ctx, { dir, dependencies, rootName: manifest.name, flags, update: targets });
  return output(summary, describeInstall(summary));
}
