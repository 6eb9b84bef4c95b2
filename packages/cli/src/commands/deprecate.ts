/** `synapse pkg deprecate NAME[@VERSION]` and `synapse pkg undeprecate NAME[@VERSION]`. */
import { DEPRECATION_REASONS } from '../../../core/src/lifecycle-rules.ts';
import { parsePackageName, parseVersion } from '../../../core/src/names.ts';
import { parseDeprecation } from '../../../core/src/resolver/lifecycle.ts';
import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { deprecationText } from '../lifecycle-warnings.ts';
import { output, type CommandOutput } from '../output.ts';

export interface DeprecateOptions {
  reason?: string;
  message?: string;
  replacement?: string;
}

/** NAME or NAME@VERSION (an exact version: a deprecation is of one version or of all). */
function parseTarget(text: string): { name: string; version?: string; path: string } {
  const at = text.indexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const parsedName = parsePackageName(name);
  if (!parsedName.ok) throw userError('invalid_spec', `"${name}": ${parsedName.message}`);
  if (at === -1) return { name, path: `/packages/${seg(name)}/deprecation` };
  const version = parseVersion(text.slice(at + 1));
  if (!version.ok)
    throw userError(
      'invalid_spec',
      `"${text}": give NAME for the whole package or NAME@VERSION with an exact version (${version.message})`,
    );
  return { name, version: version.value, path: `/packages/${seg(name)}/${seg(version.value)}/deprecation` };
}

/** Marks a package or one version deprecated; installs then warn, naming the replacement. */
export async function deprecate(ctx: Context, spec: string, options: DeprecateOptions): Promise<CommandOutput> {
  const target = parseTarget(spec);
  if (!options.reason || !(DEPRECATION_REASONS as readonly string[]).includes(options.reason)) {
    throw userError('invalid_option', `--reason is required: one of ${DEPRECATION_REASONS.join(', ')}`);
  }
  const body = { reason: options.reason, message: options.message ?? null, replacement: options.replacement ?? null };
  const doc = await apiRequest<{ deprecation?: unknown }>(ctx, { method: 'PUT', path: target.path, json: body, auth: 'required' });
  const subject = target.version ? `${target.name}@${target.version}` : target.name;
  const shown = parseDeprecation(doc?.deprecation);
  return output(doc, `Deprecated: ${shown ? deprecationText(subject, shown) : subject}`);
}

/** Removes the deprecation of a package or one version. */
export async function undeprecate(ctx: Context, spec: string): Promise<CommandOutput> {
  const target = parseTarget(spec);
  const doc = await apiRequest(ctx, { method: 'DELETE', path: target.path, auth: 'required' });
  return output(doc, `${target.version ? `${target.name}@${target.version}` : target.name} is no longer deprecated`);
}
