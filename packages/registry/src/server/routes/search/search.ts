import { badRequest } from '../../../../../core/src/errors.ts';
import { parseSearchQuery, withoutControlCharacters } from '../../../search/index.ts';
import { defineRoute } from '../../route.ts';
import { json, pageOf, problems } from '../../schemas/index.ts';
import { searchHitSchema } from '../../schemas/search.ts';
import { runSearch } from '../../../registry/run-search.ts';
import { pagingProperties, readPaging } from './paging.ts';

export const search = defineRoute({
  method: 'GET',
  url: '/search',
  limit: 'read',
  schema: {
    summary: 'Full-text search over name, keywords, description and author',
    description:
      'Terms are AND-ed; OR, NOT and -term, "quoted phrases", name:/keyword:/author: filters; the last term also matches as a prefix; ' +
      'words of five or more characters tolerate one typo. Ranked by text relevance (name > keywords > description > author), ' +
      "downloads over the last 30 days and recency; an exact name match is always first. explain=true adds each score's parts. " +
      'Past REGISTRY_SEARCH_RANK_ALL_LIMIT matches (5,000 by default) only the matches among the most downloaded packages and the newest ones ' +
      'are ranked; total counts every match up to 10,000. Past 10,000 matches counting stops: total is then 10,000 and total_is_estimate is true. ' +
      "The page of a query with more than 1,000 matches may come from the instance's memory, up to REGISTRY_SEARCH_CACHE_MS (5 s) old. " +
      'Searches wait their turn on each instance; while 500 wait, another is refused with 503 search_busy and Retry-After.',
    tags: ['search'],
    querystring: {
      type: 'object',
      properties: {
        q: { type: 'string' },
        ...pagingProperties(),
        explain: { type: 'boolean', default: false },
      },
    },
    response: {
      200: json(
        'A page of matches, best first',
        pageOf(
          searchHitSchema,
          {
            query: { type: 'string' },
            total_is_estimate: { type: 'boolean', description: 'Present (true) when total is a floor' },
          },
          ['query'],
        ),
      ),
      ...problems(400, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const raw = request.query as Record<string, unknown> & { q?: string; explain: boolean };
    const { explain } = raw;
    const q = withoutControlCharacters(raw.q ?? '');
    if (q.trim() === '') throw badRequest('search_query_missing', 'Give a search query in ?q=, e.g. ?q=http client');
    const { page, per_page: perPage } = readPaging(raw);
    const parsed = parseSearchQuery(q);
    // Only operators, quotes or symbols: listing every package would pretend they matched.
    if (parsed === null) throw badRequest('search_query_empty', `"${q}" has no word to search for`);
    const started = performance.now();
    const { total, totalIsEstimate, hits } = await runSearch(deps, {
      input: q,
      query: parsed,
      limit: perPage,
      offset: (page - 1) * perPage,
    });
    deps.metrics.searchRan((performance.now() - started) / 1000);
    return {
      query: q,
      total,
      ...(totalIsEstimate ? { total_is_estimate: true } : {}),
      page,
      per_page: perPage,
      results: hits.map(({ pkg, score, parts }) => ({
        name: pkg.name,
        description: pkg.description,
        latest: pkg.latest_version,
        keywords: JSON.parse(pkg.keywords) as string[],
        downloads: Number(pkg.downloads),
        score,
        ...(explain ? { explain: parts } : {}),
      })),
    };
  },
});
