import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { describeInstall, runInstall, type InstallFlags } from '../install.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProject, writeProjectManifest } from '../project.ts';

/** Removes dependencies from synapse.json, then drops what nothing needs any more. */
export async function remove(ctx: Context, names: string[], flags: InstallFlags): Promise<CommandOutput> {
  if (flags.frozenLockfile) throw userError('lockfile_frozen', 'remove changes synapse.lock, so it cannot run with --frozen-lockfile');
  const { dir, manifest } = await requireProject(ctx);
  const dependencies = { ...manifest.dependencies };
  const unknown = names.filter((n) => !(n in dependencies));
  if (unknown.length > 0) throw userError('unknown_dependency', `Not a dependency in synapse.json: ${unknown.join(', ')}`);
  for (const name of names) delete dependencies[name];
  const summary = await runInstall(ctx, {
    dependencies,
    dir,
    rootName: manifest.name,
    flags,
    commit: (final) => writeProjectManifest(dir, { ...manifest, dependencies: final }),
  });
  return output(summary, describeInstall(summary));
}
