/**
 * The package page (GET /packages/:name) and the version page (GET /packages/:name/:version): README,
 * install line, versions with badges, dependencies, dependents (paged), 90 days of downloads, facts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findPackage, liveVersions, packageOwners } from '../../db/packages.ts';
import { readDistTags } from '../../db/dist-tags.ts';
import { findReadmeHtml } from '../../db/readmes.ts';
import { dailyDownloads, dependentPackages } from '../../db/page-lists.ts';
import type { PackageRow, VersionRow } from '../../db/schema.ts';
import { deprecationView, sortNewestFirst } from '../../server/views/package.ts';
import { lockView } from '../../registry/package-lock.ts';
import type { AppDeps } from '../../server/deps.ts';
import { downloadsChart, lastDays } from '../chart.ts';
import { packagePath, safeUrl } from '../format.ts';
import { pageNumber, MAX_WINDOW } from '../page-number.ts';
import { pager } from '../pager.ts';
import { sendPage } from '../render.ts';
import { notFoundPage } from './errors.ts';

const VERSIONS_SHOWN = 100;
const DEPENDENTS_PER_PAGE = 20;
const CHART_DAYS = 90;

export async function packagePage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const { name, version } = request.params as { name: string; version?: string };
  const db = deps.db.kysely;
  const pkg = await findPackage(db, name);
  if (!pkg || pkg.latest_version === null) return notFoundPage(deps, request, reply, `No package is named ${name}.`);
  const versions = sortNewestFirst(await liveVersions(db, pkg.id));
  const shown = versions.find((v) => v.version === (version ?? pkg.latest_version));
  if (!shown) return notFoundPage(deps, request, reply, `${pkg.name} has no version ${version}.`);
  const page = pageNumber((request.query as Record<string, unknown>).dependents, MAX_WINDOW / DEPENDENTS_PER_PAGE);
  const days = lastDays(deps.now(), CHART_DAYS);
  const [owners, distTags, readme, counts, dependents] = await Promise.all([
    packageOwners(db, pkg.id),
    readDistTags(db, pkg.id, pkg.latest_version),
    findReadmeHtml(db, shown.id),
    dailyDownloads(db, pkg.id, days[0]!),
    dependentPackages(db, { name: pkg.name, excludePackageId: pkg.id, limit: DEPENDENTS_PER_PAGE, offset: (page - 1) * DEPENDENTS_PER_PAGE }),
  ]);
  const isLatest = shown.version === pkg.latest_version;
  const here = version === undefined ? packagePath(pkg.name) : packagePath(pkg.name, version);
  return sendPage(deps, request, reply, {
    template: 'package',
    title: isLatest && version === undefined ? pkg.name : `${pkg.name} ${shown.version}`,
    description: pkg.description ?? undefined,
    data: {
      pkg: packageFacts(pkg),
      version: versionFacts(shown),
      isLatest,
      install: `synapse pkg add ${pkg.name}${version === undefined ? '' : `@${shown.version}`}`,
      readme: readme?.html ?? null,
      versionCount: versions.length,
      versions: versions.slice(0, VERSIONS_SHOWN).map((v) => versionRow(v, distTags)),
      moreVersions: Math.max(0, versions.length - VERSIONS_SHOWN),
      distTags: Object.entries(distTags).map(([tag, v]) => ({ tag, version: v })),
      owners,
      dependencies: Object.entries(JSON.parse(shown.dependencies) as Record<string, string>).map(([n, range]) => ({ name: n, range })),
      dependents: {
        ...dependents,
        pages: pager({
          label: 'Dependents pages',
          page,
          perPage: DEPENDENTS_PER_PAGE,
          total: dependents.total,
          maxPage: MAX_WINDOW / DEPENDENTS_PER_PAGE,
          href: (n) => `${here}?dependents=${n}#dependents`,
        }),
      },
      chart: downloadsChart({ days, counts }),
      downloads: { last90: [...counts.values()].reduce((a, b) => a + b, 0), total: Number(pkg.downloads) },
      links: { homepage: safeUrl(shown.homepage), repository: safeUrl(shown.repository) },
    },
  });
}

function packageFacts(pkg: PackageRow) {
  return {
    name: pkg.name,
    description: pkg.description,
    latest: pkg.latest_version,
    keywords: JSON.parse(pkg.keywords) as string[],
    deprecation: deprecationView(pkg),
    locked: lockView(pkg),
  };
}

function versionFacts(v: VersionRow) {
  return {
    version: v.version,
    published_at: v.published_at,
    size: Number(v.size),
    integrity: v.integrity,
    license: v.license,
    author: v.author,
    repository: v.repository,
    yanked: v.yanked_at !== null,
    yank_reason: v.yank_reason,
    deprecation: deprecationView(v),
  };
}

function versionRow(v: VersionRow, distTags: Record<string, string>) {
  return {
    version: v.version,
    published_at: v.published_at,
    downloads: Number(v.downloads),
    yanked: v.yanked_at !== null,
    deprecated: v.deprecated_at !== null,
    tags: Object.entries(distTags).filter(([, tagged]) => tagged === v.version).map(([tag]) => tag),
  };
}
