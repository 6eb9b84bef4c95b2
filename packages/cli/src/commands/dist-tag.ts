import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { parseDistTag, parsePackageName, parseVersion } from '../../../core/src/names.ts';
import { withSuggestion } from '../suggest.ts';

function checkedName(name: string): string {
  const parsed = parsePackageName(name);
  if (!parsed.ok) throw userError('invalid_spec', `"${name}": ${parsed.message}`);
  return parsed.value;
}

function checkedTag(tag: string): string {
  const parsed = parseDistTag(tag);
  if (!parsed.ok) throw userError('invalid_tag', parsed.message);
  return parsed.value;
}

const lines = (tags: Record<string, string>) =>
  Object.entries(tags)
    .map(([tag, version]) => `${tag}: ${version}`)
    .join('\n');

/** Lists a package's dist-tags, latest first. */
export async function distTagList(ctx: Context, name: string): Promise<CommandOutput> {
  const pkg = checkedName(name);
  const tags = await withSuggestion(ctx, pkg, () => apiRequest<Record<string, string>>(ctx, { path: `/packages/${seg(pkg)}/dist-tags` }));
  return output({ name: pkg, dist_tags: tags }, lines(tags));
}

/** Points TAG at NAME@VERSION (an exact version). */
export async function distTagAdd(ctx: Context, spec: string, tag: string): Promise<CommandOutput> {
  const at = spec.indexOf('@');
  if (at === -1) throw userError('invalid_spec', `"${spec}": give the version to tag as NAME@VERSION, e.g. ${spec}@1.2.0`);
  const pkg = checkedName(spec.slice(0, at));
  const version = parseVersion(spec.slice(at + 1));
  if (!version.ok) throw userError('invalid_spec', `"${spec}": ${version.message}`);
  const wanted = checkedTag(tag);
  const tags = await apiRequest<Record<string, string>>(ctx, {
    method: 'PUT',
    path: `/packages/${seg(pkg)}/dist-tags/${seg(wanted)}`,
    json: { version: version.value },
    auth: 'required',
  });
  return output({ name: pkg, tag: wanted, version: version.value, dist_tags: tags }, `${pkg}@${wanted} → ${version.value}\n${lines(tags)}`);
}

/** Removes TAG from NAME (latest cannot be removed). */
export async function distTagRemove(ctx: Context, name: string, tag: string): Promise<CommandOutput> {
  const pkg = checkedName(name);
  const wanted = checkedTag(tag);
  const tags = await apiRequest<Record<string, string>>(ctx, {
    method: 'DELETE',
    path: `/packages/${seg(pkg)}/dist-tags/${seg(wanted)}`,
    auth: 'required',
  });
  return output({ name: pkg, tag: wanted, removed: true, dist_tags: tags }, `Removed ${pkg}@${wanted}\n${lines(tags)}`);
}
