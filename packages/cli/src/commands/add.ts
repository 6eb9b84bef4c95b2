import type { Context } from '../context.ts';
import { fetchTagInfo, latestIsSpecial, versionOfTag } from '../dist-tags.ts';
import { userError } from '../errors.ts';
import { describeInstall, runInstall, type InstallFlags } from '../install.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProject, writeProjectManifest } from '../project.ts';
import { parseSpec, type Spec } from '../spec.ts';

/**
 * What to resolve a spec with, and what to record: `NAME@RANGE` as given; `NAME@TAG` installs the
 * tagged version exactly and records `^VERSION`; a bare `NAME` takes the newest version the graph
 * allows (recorded `^x.y.z`), or `latest` when an owner tagged something else than the highest
 * release as latest (or there is no release, only pre-releases).
 */
async function planOf(ctx: Context, spec: Spec, flags: InstallFlags): Promise<{ resolve: string; record?: string }> {
  if (spec.range !== undefined) return { resolve: spec.range, record: spec.range };
  const info = await fetchTagInfo(ctx, spec.name, flags.offline === true).catch(bareOnly(spec));
  const tag = spec.tag ?? (info && latestIsSpecial(info) ? 'latest' : undefined);
  if (tag === undefined) return { resolve: '*' };
  if (info === null)
    throw userError(
      'offline_missing',
      `--offline: no cached metadata for ${spec.name} from ${ctx.registry}`,
      'Run the command once without --offline so the cache holds it.',
    );
  const version = versionOfTag(info, spec.name, tag);
  return { resolve: version, record: `^${version}` };
}

/** For a bare name, a failed lookup is left to the resolver, which reports it with its own context. */
const bareOnly = (spec: Spec) => (error: unknown) => {
  if (spec.tag !== undefined) throw error;
  return null;
};

/** Adds dependencies and installs; synapse.json changes only if the install succeeds. */
export async function add(ctx: Context, specs: string[], flags: InstallFlags): Promise<CommandOutput> {
  if (flags.frozenLockfile) throw userError('lockfile_frozen', 'add changes synapse.lock, so it cannot run with --frozen-lockfile');
  const { dir, manifest } = await requireProject(ctx);
  const parsed = specs.map(parseSpec);
  if (manifest.name !== undefined && parsed.some((s) => s.name === manifest.name)) {
    throw userError('invalid_spec', `${manifest.name} cannot depend on itself`);
  }
  const dependencies = { ...manifest.dependencies };
  const records = new Map<string, string | undefined>();
  for (const spec of parsed) {
    const plan = await planOf(ctx, spec, flags);
    dependencies[spec.name] = plan.resolve;
    records.set(spec.name, plan.record);
  }
  const summary = await runInstall(ctx, {
    dependencies,
    dir,
    rootName: manifest.name,
    flags,
    finalize: (versions) => {
      const out = { ...dependencies };
      for (const [name, record] of records) out[name] = record ?? `^${versions.get(name)}`;
      return out;
    },
    commit: (final) => writeProjectManifest(dir, { ...manifest, dependencies: final }),
  });
  return output(summary, describeInstall(summary));
}
