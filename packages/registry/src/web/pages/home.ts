/** The home page: search box, counts, trending, recently published, most downloaded. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recentPublishes, trendingPackages } from '../../db/package-lists.ts';
import { mostDownloaded } from '../../db/page-lists.ts';
import { registryStats } from '../../registry/stats.ts';
import type { AppDeps } from '../../server/deps.ts';
import { formatDate, formatNumber } from '../format.ts';
import { renderPartial, sendPage } from '../render.ts';
import { pageCache, type CachedPage } from '../page-cache.ts';

const SHOWN = 8;

/** How long the home page's lists and counts may be kept: they are registry-wide and change all the time. */
const HOME_MAX_AGE_MS = 10_000;

export async function homePage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  // Kept until the next write (SQLite counts its writes) and at most HOME_MAX_AGE_MS.
  const version = `${deps.db.writeGeneration() ?? ''}|${Math.floor(deps.now().getTime() / HOME_MAX_AGE_MS)}`;
  const cache = pageCache(deps);
  let page = cache.get('home', version);
  if (page === undefined) {
    page = await buildHome(deps);
    cache.set('home', version, page);
  }
  return sendPage(deps, request, reply, { template: 'home', ...page });
}

async function buildHome(deps: AppDeps): Promise<CachedPage> {
  const db = deps.db.kysely;
  const [stats, trending, recent, popular] = await Promise.all([
    registryStats(db, deps.now()),
    trendingPackages(db, { limit: SHOWN, offset: 0 }),
    recentPublishes(db, { limit: SHOWN, offset: 0 }),
    mostDownloaded(db, SHOWN),
  ]);
  const body = renderPartial('home', {
    stats,
    trending: trending.items.map((p) => ({ ...p, extra: `+${formatNumber(p.growth)} downloads this week` })),
    recent: recent.items.map((p) => ({ name: p.name, latest: p.version, description: p.description, extra: formatDate(p.published_at) })),
    popular: popular.map((p) => ({ ...p, extra: `${formatNumber(p.downloads)} downloads` })),
  });
  return { title: 'Packages for Synapse', description: 'Search, read and install Synapse packages.', body };
}
