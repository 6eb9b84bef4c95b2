import { basename } from 'node:path';
import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { output, type CommandOutput } from '../output.ts';
import { MANIFEST_FILE, readProjectManifest, writeProjectManifest, type ProjectManifest } from '../project.ts';
import { parsePackageName, parseVersion } from '../../../core/src/names.ts';

export interface InitOptions {
  name?: string;
  version?: string;
  description?: string;
  license?: string;
}

/** A package name made from a folder name: lowercase, separators kept, the rest dropped. */
function nameFromFolder(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name === '' ? 'my-package' : name;
}

/** Writes a new `synapse.json` in the current folder; refuses to overwrite one. */
export async function init(ctx: Context, options: InitOptions): Promise<CommandOutput> {
  if ((await readProjectManifest(ctx.cwd).catch(() => ({}))) !== null) {
    throw userError(
      'manifest_exists',
      `${MANIFEST_FILE} already exists here`,
      'Edit it directly, or delete it and run synapse pkg init again.',
    );
  }
  const name = options.name ?? nameFromFolder(basename(ctx.cwd));
  const parsedName = parsePackageName(name);
  if (!parsedName.ok) throw userError('invalid_name', `"${name}": ${parsedName.message}`, 'Pass --name NAME.');
  const version = options.version ?? '0.1.0';
  const parsedVersion = parseVersion(version);
  if (!parsedVersion.ok) throw userError('invalid_version', parsedVersion.message);
  const manifest: ProjectManifest = {
    name,
    version,
    description: options.description ?? '',
    license: options.license ?? 'MIT',
    keywords: [],
    dependencies: {},
  };
  await writeProjectManifest(ctx.cwd, manifest);
  return output({ path: MANIFEST_FILE, manifest }, `Wrote ${MANIFEST_FILE} for ${name}@${version}`);
}
