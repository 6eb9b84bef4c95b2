import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { describeInstall, runInstall, type InstallFlags } from '../install.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProjectManifest, writeProjectManifest } from '../project.ts';
import { parseSpec } from '../spec.ts';

/**
 * Adds dependencies and installs. `NAME` alone takes the newest version the rest of the graph
 * allows and records it as `^x.y.z`; synapse.json changes only if the install succeeds.
 */
export async function add(ctx: Context, specs: string[], flags: InstallFlags): Promise<CommandOutput> {
  if (flags.frozenLockfile) throw userError('lockfile_frozen', 'add changes synapse.lock, so it cannot run with --frozen-lockfile');
  const manifest = await requireProjectManifest(ctx.cwd);
  const parsed = specs.map(parseSpec);
  if (manifest.name !== undefined && parsed.some((s) => s.name === manifest.name)) {
    throw userError('invalid_spec', `${manifest.name} cannot depend on itself`);
  }
  const dependencies = { ...manifest.dependencies };
  const open: string[] = [];
  for (const spec of parsed) {
    dependencies[spec.name] = spec.range ?? '*';
    if (spec.range === undefined) open.push(spec.name);
  }
  const summary = await runInstall(ctx, {
    dependencies,
    rootName: manifest.name,
    flags,
    finalize: (versions) => {
      const out = { ...dependencies };
      for (const name of open) out[name] = `^${versions.get(name)}`;
      return out;
    },
    commit: (final) => writeProjectManifest(ctx.cwd, { ...manifest, dependencies: final }),
  });
  return output(summary, describeInstall(summary));
}
