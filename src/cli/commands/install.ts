import type { Context } from '../context.ts';
import { describeInstall, runInstall, type InstallFlags } from '../install.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProjectManifest } from '../project.ts';

/** Installs everything synapse.json asks for, honouring synapse.lock. */
export async function install(ctx: Context, flags: InstallFlags): Promise<CommandOutput> {
  const manifest = await requireProjectManifest(ctx.cwd);
  const summary = await runInstall(ctx, { dependencies: { ...manifest.dependencies }, rootName: manifest.name, flags });
  return output(summary, describeInstall(summary));
}
