import { searchQueue } from '../../../registry/search-queue.ts';
import { recentPublishes } from '../../../db/package-lists.ts';
import { defineRoute } from '../../route.ts';
import { json, pageOf, problems } from '../../schemas/index.ts';
import { recentItemSchema } from '../../schemas/packages.ts';
import { paged, pagingProperties, readPaging, window } from '../search/paging.ts';

export const recent = defineRoute({
  method: 'GET',
  url: '/packages/recent',
  limit: 'read',
  schema: {
    summary: 'The newest publishes: one entry per version, newest first',
    tags: ['packages'],
    querystring: { type: 'object', properties: pagingProperties() },
    response: { 200: json('A page of publishes, newest first', pageOf(recentItemSchema)), ...problems(400, 429, 500, 503) },
  },
  async handler(deps, request) {
    const query = readPaging(request.query as Record<string, unknown>);
    const { total, items } = await searchQueue(deps.db, deps.config.database).run(() => recentPublishes(deps.db.kysely, window(query)));
    return paged(query, total, items);
  },
});
