/**
 * The package page (GET /packages/:name) and the version page (GET /packages/:name/:version): README,
 * install line, versions with badges, advisories, dependencies, dependents (paged), 90 days of downloads, facts.
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
import { advisorySummaries } from '../../server/advisory-summaries.ts';
import { downloadsChart, lastDays } from '../chart.ts';
import { packagePath, safeUrl } from '../format.ts';
import { pageNumber, MAX_WINDOW } from '../page-number.ts';
import { pager } from '../pager.ts';
import { renderPartial, sendPage } from '../render.ts';
import { pageCache, type CachedPage } from '../page-cache.ts';
import { notFoundPage } from './errors.ts';
import { ownerToolsHtml } from './owner-tools.ts';
import { webSession } from '../session.ts';

const VERSIONS_SHOWN = 100;
const DEPENDENTS_PER_PAGE = 20;
const CHART_DAYS = 90;

const DEPENDENTS_MARK = '<!--dependents-->';
const OWNER_TOOLS_MARK = '<!--owner-tools-->';

/** A refused owner form shown again on the page it came from. */
export interface OwnerFormRefusal {
  status: number;
  error: string;
}

export async function packagePage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, refusal?: OwnerFormRefusal) {
  const { name, version } = request.params as { name: string; version?: string };
  const db = deps.db.kysely;
  const pkg = await findPackage(db, name);
  if (!pkg || pkg.latest_version === null) return notFoundPage(deps, request, reply, `No package is named ${name}.`);
  // Every change to a package moves updated_at (publish, yank, deprecation, tags, owners, advisories); download
  // flushes move downloads; the chart moves with the day.
  const stamp = `${pkg.updated_at}|${pkg.downloads}|${pkg.latest_version}|${pkg.locked_at}|${pkg.deprecated_at}|${deps.now().toISOString().slice(0, 10)}`;
  const key = `${pkg.id}@${version ?? ''}`;
  const cache = pageCache(deps);
  let page = cache.get(key, stamp);
  if (page === undefined) {
    const built = await buildPage(deps, pkg, version);
    if (built === null) return notFoundPage(deps, request, reply, `${pkg.name} has no version ${version}.`);
    page = built;
    cache.set(key, stamp, page);
  }
  // Other packages' publishes change the dependents, so they are read on every request.
  const here = version === undefined ? packagePath(pkg.name) : packagePath(pkg.name, version);
  const dependents = await dependentsHtml(deps, request, { pkg, here });
  // No cookie, no query: a visitor's page costs nothing more.
  const session = await webSession(deps, request);
  const tools =
    version === undefined
      ? await ownerToolsHtml(deps, request, reply, {
          pkg,
          session,
          notice: (request.query as Record<string, unknown>).owners,
          error: refusal?.error,
        })
      : '';
  const body = page.body.replace(DEPENDENTS_MARK, () => dependents).replace(OWNER_TOOLS_MARK, () => tools);
  return sendPage(deps, request, reply, {
    template: 'package',
    body,
    title: page.title,
    description: page.description,
    session,
    status: refusal?.status,
  });
}

/** The page body without its dependents, or null when the package has no such live version. */
async function buildPage(deps: AppDeps, pkg: PackageRow, version: string | undefined): Promise<CachedPage | null> {
  const db = deps.db.kysely;
  const versions = sortNewestFirst(await liveVersions(db, pkg.id));
  const shown = versions.find((v) => v.version === (version ?? pkg.latest_version));
  if (!shown) return null;
  const days = lastDays(deps.now(), CHART_DAYS);
  const [owners, distTags, readme, counts, advisories] = await Promise.all([
    packageOwners(db, pkg.id),
    readDistTags(db, pkg.id, pkg.latest_version),
    findReadmeHtml(db, shown.id),
    dailyDownloads(db, pkg.id, days[0]!),
    advisorySummaries(
      deps,
      pkg.name,
      versions.map((v) => v.version),
    ),
  ]);
  const isLatest = shown.version === pkg.latest_version;
  const body = renderPartial('package', {
    pkg: packageFacts(pkg),
    version: { ...versionFacts(shown), advisories: advisories(shown.version) },
    isLatest,
    install: `synapse pkg add ${pkg.name}${version === undefined ? '' : `@${shown.version}`}`,
    readme: readme?.html ?? null,
    versionCount: versions.length,
    versions: versions.slice(0, VERSIONS_SHOWN).map((v) => ({ ...versionRow(v, distTags), advisories: advisories(v.version).count })),
    moreVersions: Math.max(0, versions.length - VERSIONS_SHOWN),
    distTags: Object.entries(distTags).map(([tag, v]) => ({ tag, version: v })),
    owners,
    dependencies: Object.entries(JSON.parse(shown.dependencies) as Record<string, string>).map(([n, range]) => ({ name: n, range })),
    dependents: DEPENDENTS_MARK,
    ownerTools: OWNER_TOOLS_MARK,
    chart: downloadsChart({ days, counts }),
    downloads: { last90: [...counts.values()].reduce((a, b) => a + b, 0), total: Number(pkg.downloads) },
    links: { homepage: safeUrl(shown.homepage), repository: safeUrl(shown.repository) },
  });
  const title = isLatest && version === undefined ? pkg.name : `${pkg.name} ${shown.version}`;
  return { title, ...(pkg.description ? { description: pkg.description } : {}), body };
}

/**
 * The dependents section. Other packages' publishes and deletes change it, which the package row does
 * not show; where the database counts its writes (SQLite) it is kept until the next write, else read
 * on every request (an indexed lookup from the dependency outwards).
 */
async function dependentsHtml(deps: AppDeps, request: FastifyRequest, { pkg, here }: { pkg: PackageRow; here: string }): Promise<string> {
  const page = pageNumber((request.query as Record<string, unknown>).dependents, MAX_WINDOW / DEPENDENTS_PER_PAGE);
  const generation = deps.db.writeGeneration();
  const key = `dependents:${here}:${page}`;
  const cache = pageCache(deps);
  const hit = generation === undefined ? undefined : cache.get(key, String(generation));
  if (hit) return hit.body;
  const offset = (page - 1) * DEPENDENTS_PER_PAGE;
  const dependents = await dependentPackages(deps.db.kysely, {
    name: pkg.name,
    excludePackageId: pkg.id,
    limit: DEPENDENTS_PER_PAGE,
    offset,
  });
  const pages = pager({
    label: 'Dependents pages',
    page,
    perPage: DEPENDENTS_PER_PAGE,
    total: dependents.total,
    maxPage: MAX_WINDOW / DEPENDENTS_PER_PAGE,
    href: (n) => `${here}?dependents=${n}#dependents`,
  });
  const body = renderPartial('dependents', { ...dependents, pages });
  if (generation !== undefined) cache.set(key, String(generation), { title: '', body });
  return body;
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
    tags: Object.entries(distTags)
      .filter(([, tagged]) => tagged === v.version)
      .map(([tag]) => tag),
  };
}
