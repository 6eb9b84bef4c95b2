import { recentPublishes } from '../../../db/package-lists.ts';
import { defineRoute } from '../../route.ts';
import { paged, pagingProperties, readPaging, window } from '../search/paging.ts';

export const recent = defineRoute({
  method: 'GET',
  url: '/packages/recent',
  limit: 'read',
  schema: {
    summary: 'The newest publishes: one entry per version, newest first',
    tags: ['packages'],
    querystring: { type: 'object', properties: pagingProperties() },
  },
  async handler(deps, request) {
    const query = readPaging(request.query as Record<string, unknown>);
    const { total, items } = await recentPublishes(deps.db.kysely, window(query));
    return paged(query, total, items);
  },
});
