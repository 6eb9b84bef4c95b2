/** `synapse pkg yank NAME@VERSION [--reason TEXT]` and `synapse pkg unyank NAME@VERSION`. */
import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { parsePackageName, parseVersion } from '../../../core/src/names.ts';

interface VersionDoc {
  name: string;
  version: string;
  yanked: boolean;
  yank_reason: string | null;
  yanked_at: string | null;
  yanked_by: string | null;
}

export interface YankOptions {
  reason?: string;
}

/** NAME@VERSION with an exact version: a yank is about one version, never a range. */
export function parseTarget(text: string, verb: string): { name: string; version: string } {
  const at = text.lastIndexOf('@');
  const name = parsePackageName(at <= 0 ? text : text.slice(0, at));
  if (!name.ok) throw userError('invalid_spec', `"${text}": ${name.message}`);
  const version = parseVersion(at <= 0 ? undefined : text.slice(at + 1));
  if (!version.ok) throw userError('invalid_spec', `${verb} takes NAME@VERSION with an exact version, such as ${name.value}@1.2.3`);
  return { name: name.value, version: version.value };
}

/** Yanks a version: new installs skip it, existing lockfiles keep it. */
export async function yank(ctx: Context, spec: string, options: YankOptions): Promise<CommandOutput> {
  const { name, version } = parseTarget(spec, 'yank');
  const doc = await apiRequest<VersionDoc>(ctx, {
    method: 'PUT',
    path: `/packages/${seg(name)}/${seg(version)}/yank`,
    json: { reason: options.reason ?? null },
    auth: 'required',
  });
  const why = doc.yank_reason ? ` (${doc.yank_reason})` : '';
  return output(
    doc,
    `Yanked ${doc.name}@${doc.version}${why}: new installs skip it; lockfiles that hold it still install it. ` +
      `Undo with: synapse pkg unyank ${doc.name}@${doc.version}`,
  );
}

/** Unyanks a version: new installs may pick it again. */
export async function unyank(ctx: Context, spec: string): Promise<CommandOutput> {
  const { name, version } = parseTarget(spec, 'unyank');
  const doc = await apiRequest<VersionDoc>(ctx, {
    method: 'DELETE',
    path: `/packages/${seg(name)}/${seg(version)}/yank`,
    auth: 'required',
  });
  return output(doc, `Unyanked ${doc.name}@${doc.version}: new installs may pick it again`);
}
