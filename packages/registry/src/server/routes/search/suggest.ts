import { searchQueue } from '../../../registry/search-queue.ts';
import { badRequest } from '../../../../../core/src/errors.ts';
import { suggestNames } from '../../../db/package-lists.ts';
import { defineRoute } from '../../route.ts';
import { withoutControlCharacters } from '../../../search/index.ts';
import { json, pageOf, problems } from '../../schemas/index.ts';
import { suggestionSchema } from '../../schemas/search.ts';
import { paged, pagingProperties, readPaging, window } from './paging.ts';

export const suggest = defineRoute({
  method: 'GET',
  url: '/search/suggest',
  limit: 'read',
  schema: {
    summary: 'Autocomplete: package names starting with q, most downloaded first',
    description: 'Case, "-", "_" and "." are ignored the way package names compare (q=http_c finds http-client).',
    tags: ['search'],
    querystring: {
      type: 'object',
      properties: { q: { type: 'string', maxLength: 214 }, ...pagingProperties(10) },
    },
    response: {
      200: json('A page of names, most downloaded first', pageOf(suggestionSchema, { query: { type: 'string' } }, ['query'])),
      ...problems(400, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const raw = request.query as Record<string, unknown> & { q?: string };
    const q = withoutControlCharacters(raw.q ?? '').trim();
    if (q === '') throw badRequest('search_query_missing', 'Give the start of a package name in ?q=, e.g. ?q=http');
    const query = readPaging(raw, { perPage: 10 });
    const { total, items } = await searchQueue(deps.db, deps.config.database).run(() =>
      suggestNames(deps.db.kysely, deps.db.dialect, q, window(query)),
    );
    return { query: q, ...paged(query, total, items) };
  },
});
