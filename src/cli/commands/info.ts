import { parseDeprecation } from '../../resolver/lifecycle.ts';
import type { Context } from '../context.ts';
import { deprecationText, oneLine } from '../lifecycle-warnings.ts';
import { userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { parseSpec } from '../spec.ts';
import { withSuggestion } from '../suggest.ts';

interface PackageDoc {
  name: string;
  description: string | null;
  license: string | null;
  homepage: string | null;
  repository: string | null;
  keywords: string[];
  owners: string[];
  latest: string | null;
  versions: { version: string; published_at: string; deprecation?: unknown }[];
  downloads: number;
  deprecation?: unknown;
}

interface VersionDoc {
  name: string;
  version: string;
  description?: string | null;
  integrity: string;
  size: number;
  dependencies: Record<string, string>;
  downloads: number;
  published_at: string;
  tarball_url: string;
  yanked?: unknown;
  yank_reason?: unknown;
  deprecation?: unknown;
}

/** The lines that warn about a package (and, given one, a version of it): deprecated, yanked. */
function lifecycleLines(name: string, pkg: unknown, version?: { version: string; deprecation?: unknown; yanked?: unknown; yank_reason?: unknown }): string[] {
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

const warningLines = (warnings: string[]) => warnings.map((w) => `warning: ${w}`);

/** Shows a package (NAME) or one of its versions (NAME@VERSION). */
export async function info(ctx: Context, spec: string): Promise<CommandOutput> {
  const { name, range } = parseSpec(spec);
  if (range !== undefined) {
    if (!/^\d+\.\d+\.\d+/.test(range)) throw userError('invalid_spec', `info takes NAME or NAME@VERSION, and "${range}" is not a version`);
    const v = await withSuggestion(ctx, name, () => apiRequest<VersionDoc>(ctx, { path: `/packages/${seg(name)}/${seg(range)}` }));
    // The whole package's deprecation is on the package document only.
    const pkg = await apiRequest<PackageDoc>(ctx, { path: `/packages/${seg(name)}` }).catch(() => null);
    const warnings = lifecycleLines(name, pkg?.deprecation, v);
    const deps = Object.entries(v.dependencies);
    const lines = [
      ...warningLines(warnings),
      `${v.name}@${v.version}${v.description ? ` — ${v.description}` : ''}`,
      `published ${v.published_at}, ${formatBytes(v.size)}, ${v.downloads} downloads`,
      `integrity ${v.integrity}`,
      `tarball ${v.tarball_url}`,
      deps.length === 0 ? 'no dependencies' : `dependencies:\n${deps.map(([d, r]) => `  ${d} ${r}`).join('\n')}`,
    ];
    return output({ ...v, warnings }, lines.join('\n'));
  }
  const p = await withSuggestion(ctx, name, () => apiRequest<PackageDoc>(ctx, { path: `/packages/${seg(name)}` }));
  const latest = p.versions.find((v) => v.version === p.latest);
  const warnings = lifecycleLines(name, p.deprecation, latest);
  const lines = [
    ...warningLines(warnings),
    `${p.name}@${p.latest ?? '(no release)'}${p.description ? ` — ${p.description}` : ''}`,
    ...(p.license ? [`license ${p.license}`] : []),
    ...(p.homepage ? [`homepage ${p.homepage}`] : []),
    ...(p.repository ? [`repository ${p.repository}`] : []),
    ...(p.keywords.length ? [`keywords ${p.keywords.join(', ')}`] : []),
    `owners ${p.owners.join(', ')}`,
    `${p.versions.length} version${p.versions.length === 1 ? '' : 's'}, ${p.downloads} downloads`,
  ];
  return output({ ...p, warnings }, lines.join('\n'));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
