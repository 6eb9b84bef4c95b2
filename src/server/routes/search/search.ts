import { badRequest } from '../../../errors.ts';
import { parseSearchQuery, toFts5Match, toTsquery, type SearchQuery } from '../../../search/index.ts';
import { searchSqlite } from '../../../db/search-packages.ts';
import { searchPostgres } from '../../../db/search-postgres.ts';
import type { AppDeps } from '../../deps.ts';
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
    // Only operators, quotes or symbols: listing every package would pretend they matched.
    if (parsed === null) throw badRequest('search_query_empty', `"${q}" has no word to search for`);
    const window = { exactName: q.trim(), limit: perPage, offset: (page - 1) * perPage };
    const { total, hits } = await runSearch(deps, parsed, window);
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

function runSearch(deps: AppDeps, query: SearchQuery, window: { exactName: string; limit: number; offset: number }) {
  if (deps.db.dialect === 'postgres') return searchPostgres(deps.db.kysely, { tsquery: toTsquery(query), ...window });
  const fts = toFts5Match(query);
  return searchSqlite(deps.db.kysely, { match: fts?.match ?? null, exclude: fts?.exclude ?? null, ...window });
}
