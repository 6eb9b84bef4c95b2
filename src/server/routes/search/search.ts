import { badRequest } from '../../../errors.ts';
import { parseSearchQuery, toFts5Match } from '../../../search/index.ts';
import { searchSqlite } from '../../../db/search-packages.ts';
import { defineRoute } from '../../route.ts';

export const search = defineRoute({
  method: 'GET',
  url: '/search',
  limit: 'read',
  schema: {
    summary: 'Full-text search over name, keywords, description and author',
    description: 'Terms are AND-ed; OR, NOT and -term, "quoted phrases", name:/keyword:/author: filters; the last term also matches as a prefix.',
    tags: ['search'],
    querystring: {
      type: 'object',
      properties: {
        q: { type: 'string' },
        page: { type: 'integer', minimum: 1, default: 1 },
        per_page: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
    },
  },
  async handler(deps, request) {
    const { q = '', page, per_page: perPage } = request.query as { q?: string; page: number; per_page: number };
    if (q.trim() === '') throw badRequest('search_query_missing', 'Give a search query in ?q=, e.g. ?q=http client');
    const parsed = parseSearchQuery(q);
    const fts = toFts5Match(parsed);
    const { total, hits } = await searchSqlite(deps.db.kysely, {
      match: fts?.match ?? null,
      exclude: fts?.exclude ?? null,
      exactName: q.trim(),
      limit: perPage,
      offset: (page - 1) * perPage,
    });
    return {
      query: q,
      total,
      page,
      per_page: perPage,
      results: hits.map(({ pkg, score }) => ({
        name: pkg.name,
        description: pkg.description,
        latest: pkg.latest_version,
        keywords: JSON.parse(pkg.keywords) as string[],
        downloads: Number(pkg.downloads),
        score,
      })),
    };
  },
});
