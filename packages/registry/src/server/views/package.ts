import type { DeprecationColumns, PackageRow, VersionRow } from '../../db/schema.ts';
import { compareVersionsDesc } from '../../../../core/src/names.ts';
import { lockView } from '../../registry/package-lock.ts';
import type { AdvisorySummary } from '../../advisories/match.ts';
import type { SummaryOf } from '../advisory-summaries.ts';

/** Where a version's tarball is served. */
export const tarballUrl = (base: string, name: string, version: string) =>
  `${base}/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/tarball`;

/** A package's or a version's deprecation, or null when it has none. */
export function deprecationView(row: DeprecationColumns) {
  if (row.deprecated_at === null) return null;
  return {
    reason: row.deprecation_reason ?? 'other',
    message: row.deprecation_message,
    replacement: row.deprecation_replacement,
    deprecated_at: row.deprecated_at,
    deprecated_by: row.deprecated_by,
  };
}

/** What install metadata says of a version's lifecycle: yanked (and why, when, by whom), deprecated. */
export function lifecycleView(v: VersionRow) {
  return {
    yanked: v.yanked_at !== null,
    yank_reason: v.yank_reason,
    yanked_at: v.yanked_at,
    yanked_by: v.yanked_by,
    deprecation: deprecationView(v),
  };
}

export function versionView(base: string, name: string, v: VersionRow, advisories: AdvisorySummary) {
  return {
    name,
    version: v.version,
    description: v.description,
    checksum: v.checksum,
    integrity: v.integrity,
    size: Number(v.size),
    dependencies: JSON.parse(v.dependencies) as Record<string, string>,
    keywords: JSON.parse(v.keywords) as string[],
    downloads: Number(v.downloads),
    published_at: v.published_at,
    tarball_url: tarballUrl(base, name, v.version),
    ...lifecycleView(v),
    advisories,
  };
}

/** The per-version entry of a package document: enough for a resolver to work without more requests. */
export function versionSummary(base: string, name: string, v: VersionRow, advisories: AdvisorySummary) {
  return {
    version: v.version,
    published_at: v.published_at,
    dependencies: JSON.parse(v.dependencies) as Record<string, string>,
    integrity: v.integrity,
    checksum: v.checksum,
    size: Number(v.size),
    downloads: Number(v.downloads),
    tarball_url: tarballUrl(base, name, v.version),
    ...lifecycleView(v),
    advisories,
  };
}

export const sortNewestFirst = (versions: VersionRow[]) => [...versions].sort((a, b) => compareVersionsDesc(a.version, b.version));

/** What a package document is made of: the row, its owners, its live versions, its dist-tags and each version's advisories. */
export interface PackageParts {
  pkg: PackageRow;
  owners: string[];
  versions: VersionRow[];
  distTags: Record<string, string>;
  advisories: SummaryOf;
}

export function packageView(base: string, { pkg, owners, versions, distTags, advisories }: PackageParts) {
  return {
    name: pkg.name,
    description: pkg.description,
    author: pkg.author,
    license: pkg.license,
    homepage: pkg.homepage,
    repository: pkg.repository,
    keywords: JSON.parse(pkg.keywords) as string[],
    owners,
    latest: pkg.latest_version,
    dist_tags: distTags,
    versions: sortNewestFirst(versions).map((v) => versionSummary(base, pkg.name, v, advisories(v.version))),
    deprecation: deprecationView(pkg),
    locked: lockView(pkg),
    downloads: Number(pkg.downloads),
    created_at: pkg.created_at,
    updated_at: pkg.updated_at,
  };
}
