import { trendingPackages } from '../../../db/package-lists.ts';
import { defineRoute } from '../../route.ts';
import { paged, pagingProperties, readPaging, window } from '../search/paging.ts';

export const trending = defineRoute({
  method: 'GET',
  url: '/packages/trending',
  limit: 'read',
  schema: {
    summary: 'Packages downloaded more over the last 7 days than the 7 before, by downloads gained',
    tags: ['packages'],
    querystring: { type: 'object', properties: pagingProperties() },
  },
  async handler(deps, request) {
    const query = readPaging(request.query as Record<string, unknown>);
    const { total, items } = await trendingPackages(deps.db.kysely, window(query));
    return paged(query, total, items);
  },
});
