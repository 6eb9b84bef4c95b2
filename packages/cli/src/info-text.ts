/**
 * The text of `info`: what `npm view` and `cargo info` show. Pure functions over the registry's
 * documents, which are untrusted: every field is checked before it is used (main strips controls).
 */
import { humanBytes, plural } from './format.ts';

export interface PackageDoc {
  name: string;
  description?: string | null;
  license?: string | null;
  homepage?: string | null;
  repository?: string | null;
  keywords?: string[];
  owners?: string[];
  latest?: string | null;
  dist_tags?: Record<string, string>;
  versions?: { version: string; published_at?: string; dependencies?: Record<string, string>; yanked?: unknown; deprecation?: unknown }[];
  downloads?: number;
  deprecation?: unknown;
}

export interface VersionDoc {
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

// The newest versions listed; the rest are counted (synapse pkg versions NAME lists them all).
const VERSIONS_SHOWN = 10;

const downloads = (n: unknown) => plural(typeof n === 'number' ? n : 0, 'download');
const day = (iso: unknown) => (typeof iso === 'string' ? iso.slice(0, 10) : '');
const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

function dependencyLines(title: string, deps: Record<string, string> | undefined): string[] {
  const entries = Object.entries(deps ?? {});
  if (entries.length === 0) return [`${title}: none`];
  const width = Math.max(...entries.map(([d]) => d.length));
  return [`${title}:`, ...entries.map(([d, r]) => `  ${d.padEnd(width)}  ${r}`)];
}

/** The whole package: header, links, tags, the newest versions with dates, dependencies, owners, the add line. */
export function packageText(p: PackageDoc, warnings: string[]): string {
  const versions = list(p.versions);
  const latest = versions.find((v) => v.version === p.latest);
  const tags = Object.entries(p.dist_tags ?? (p.latest ? { latest: p.latest } : {}));
  const width = Math.max(0, ...versions.slice(0, VERSIONS_SHOWN).map((v) => v.version.length));
  const lines = [
    ...warnings.map((w) => `warning: ${w}`),
    `${p.name}@${p.latest ?? '(no release)'}${p.description ? ` — ${p.description}` : ''}`,
    [p.license ? `license ${p.license}` : 'no license', plural(versions.length, 'version'), downloads(p.downloads)].join(' · '),
    ...(p.homepage ? [`homepage   ${p.homepage}`] : []),
    ...(p.repository ? [`repository ${p.repository}`] : []),
    ...(list(p.keywords).length ? [`keywords   ${list(p.keywords).join(', ')}`] : []),
    '',
    `dist-tags: ${tags.length ? tags.map(([t, v]) => `${t} ${v}`).join(', ') : 'none'}`,
    ...(versions.length
      ? [
          'versions:',
          ...versions
            .slice(0, VERSIONS_SHOWN)
            .map((v) => `  ${v.version.padEnd(width)}  ${day(v.published_at)}${v.yanked === true ? '  (yanked)' : ''}`),
          ...(versions.length > VERSIONS_SHOWN
            ? [`  … and ${versions.length - VERSIONS_SHOWN} older (synapse pkg versions ${p.name})`]
            : []),
        ]
      : []),
    ...(latest ? dependencyLines(`dependencies of ${latest.version}`, latest.dependencies) : []),
    `owners: ${list(p.owners).join(', ') || 'none'}`,
    '',
    `Add it: synapse pkg add ${p.name}`,
  ];
  return lines.join('\n');
}

/** One version: header, publication, size, integrity, tarball, dependencies, the add line. */
export function versionText(v: VersionDoc, warnings: string[]): string {
  return [
    ...warnings.map((w) => `warning: ${w}`),
    `${v.name}@${v.version}${v.description ? ` — ${v.description}` : ''}`,
    `published ${v.published_at} · ${humanBytes(v.size)} · ${downloads(v.downloads)}`,
    `integrity ${v.integrity}`,
    `tarball   ${v.tarball_url}`,
    ...dependencyLines('dependencies', v.dependencies),
    '',
    `Add it: synapse pkg add ${v.name}@^${v.version}`,
  ].join('\n');
}
