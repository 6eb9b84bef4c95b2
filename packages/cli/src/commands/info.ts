import { parseDeprecation } from '../../../core/src/resolver/lifecycle.ts';
import type { Context } from '../context.ts';
import { deprecationText, oneLine } from '../lifecycle-warnings.ts';
import { userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { parseSpec } from '../spec.ts';
import { withSuggestion } from '../suggest.ts';
import { fetchTagInfo, versionOfTag } from '../dist-tags.ts';
import { packageText, versionText, type PackageDoc, type VersionDoc } from '../info-text.ts';

/** The lines that warn about a package (and, given one, a version of it): deprecated, yanked. */
function lifecycleLines(
  name: string,
  pkg: unknown,
  version?: { version: string; deprecation?: unknown; yanked?: unknown; yank_reason?: unknown },
): string[] {
  const lines: string[] = [];
  const whole = parseDeprecation(pkg);
  if (whole) lines.push(deprecationText(name, whole));
  const own = version ? parseDeprecation(version.deprecation) : null;
  if (version && own) lines.push(deprecationText(`${name}@${version.version}`, own));
  if (version?.yanked === true) {
    const why = typeof version.yank_reason === 'string' && version.yank_reason ? `: ${oneLine(version.yank_reason)}` : '';
    lines.push(`${name}@${version.version} is yanked${why}; new installs do not pick it`);
  }
  return lines;
}

/** Shows a package (NAME) or one of its versions (NAME@VERSION). */
export async function info(ctx: Context, spec: string): Promise<CommandOutput> {
  const parsed = parseSpec(spec);
  const { name } = parsed;
  // NAME@TAG shows the version the tag points at.
  const range = parsed.tag === undefined ? parsed.range : versionOfTag((await fetchTagInfo(ctx, name, false))!, name, parsed.tag);
  if (range !== undefined) {
    if (!/^\d+\.\d+\.\d+/.test(range)) throw userError('invalid_spec', `info takes NAME or NAME@VERSION, and "${range}" is not a version`);
    const v = await withSuggestion(ctx, name, () => apiRequest<VersionDoc>(ctx, { path: `/packages/${seg(name)}/${seg(range)}` }));
    // The whole package's deprecation is on the package document only.
    const pkg = await apiRequest<PackageDoc>(ctx, { path: `/packages/${seg(name)}` }).catch(() => null);
    const warnings = lifecycleLines(name, pkg?.deprecation, v);
    return output({ ...v, warnings }, versionText(v, warnings));
  }
  const p = await withSuggestion(ctx, name, () => apiRequest<PackageDoc>(ctx, { path: `/packages/${seg(name)}` }));
  const latest = (p.versions ?? []).find((v) => v.version === p.latest);
  const warnings = lifecycleLines(name, p.deprecation, latest);
  return output({ ...p, warnings }, packageText(p, warnings));
}
