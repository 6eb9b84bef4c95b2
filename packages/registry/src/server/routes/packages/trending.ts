import { searchQueue } from '../../../registry/search-queue.ts';
import { trendingPackages } from '../../../db/package-lists.ts';
import { defineRoute } from '../../route.ts';
import { json, pageOf, problems } from '../../schemas/index.ts';
import { trendingItemSchema } from '../../schemas/packages.ts';
import { paged, pagingProperties, readPaging, window } from '../search/paging.ts';

export const trending = defineRoute({
  method: 'GET',
  url: '/packages/trending',
  limit: 'read',
  schema: {
    summary: 'Packages downloaded more over the last 7 days than the 7 before, by downloads gained',
    tags: ['packages'],
    querystring: { type: 'object', properties: pagingProperties() },
    response: { 200: json('A page of packages, most downloads gained first', pageOf(trendingItemSchema)), ...problems(400, 429, 500, 503) },
  },
  async handler(deps, request) {
    const query = readPaging(request.query as Record<string, unknown>);
    const { total, items } = await searchQueue(deps.db, deps.config.database).run(() => trendingPackages(deps.db.kysely, window(query)));
    return paged(query, total, items);
  },
});
