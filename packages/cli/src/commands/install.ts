import type { Context } from '../context.ts';
import { describeInstall, runInstall, type InstallFlags } from '../install.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProject } from '../project.ts';

/** Installs everything synapse.json asks for, honouring synapse.lock. */
export async function install(ctx: Context, flags: InstallFlags): Promise<CommandOutput> {
  const { dir, manifest } = await requireProject(ctx);
  const summary = await runInstall(ctx, { dir, dependencies: { ...manifest.dependencies }, rootName: manifest.name, flags });
  return output(summary, describeInstall(summary));
}
