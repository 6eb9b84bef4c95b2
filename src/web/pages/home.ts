/** The home page: search box, counts, trending, recently published, most downloaded. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recentPublishes, trendingPackages } from '../../db/package-lists.ts';
import { mostDownloaded } from '../../db/page-lists.ts';
import { registryStats } from '../../registry/stats.ts';
import type { AppDeps } from '../../server/deps.ts';
import { formatDate, formatNumber } from '../format.ts';
import { sendPage } from '../render.ts';

const SHOWN = 8;

export async function homePage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const db = deps.db.kysely;
  const [stats, trending, recent, popular] = await Promise.all([
    registryStats(db, deps.now()),
    trendingPackages(db, { limit: SHOWN, offset: 0 }),
    recentPublishes(db, { limit: SHOWN, offset: 0 }),
    mostDownloaded(db, SHOWN),
  ]);
  return sendPage(deps, request, reply, {
    template: 'home',
    title: 'Packages for Synapse',
    description: 'Search, read and install Synapse packages.',
    data: {
      stats,
      trending: trending.items.map((p) => ({ ...p, extra: `+${formatNumber(p.growth)} downloads this week` })),
      recent: recent.items.map((p) => ({ name: p.name, latest: p.version, description: p.description, extra: formatDate(p.published_at) })),
      popular: popular.map((p) => ({ ...p, extra: `${formatNumber(p.downloads)} downloads` })),
    },
  });
}
