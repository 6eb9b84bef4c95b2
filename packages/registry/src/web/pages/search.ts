/**
 * Search results (GET /search?q=): the API's ranking and query language (runSearch), matched words
 * marked, pages of 20, "did you mean" when a word matched only through a typo correction.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseSearchQuery, typoNeighbours, typoWords, withoutControlCharacters } from '../../search/index.ts';
import { knownWords } from '../../db/search-index.ts';
import { runSearch } from '../../registry/run-search.ts';
import type { AppDeps } from '../../server/deps.ts';
import { highlight, wordMatcher } from '../highlight.ts';
import { MAX_WINDOW, pageNumber } from '../page-number.ts';
import { pager } from '../pager.ts';
import { sendPage } from '../render.ts';

const PER_PAGE = 20;

export async function searchPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = (request.query as Record<string, unknown>).q;
  const q = typeof raw === 'string' ? withoutControlCharacters(raw).trim() : '';
  const page = pageNumber((request.query as Record<string, unknown>).page, MAX_WINDOW / PER_PAGE);
  const empty = { q, total: 0, results: [], pages: null, suggestion: null, start: 1 };
  if (q === '')
    return sendPage(deps, request, reply, {
      template: 'search',
      title: 'Search',
      data: { ...empty, message: 'Type a few words to search the registry.' },
    });
  const parsed = parseSearchQuery(q);
  if (parsed === null) {
    return sendPage(deps, request, reply, {
      template: 'search',
      title: `Search: ${q}`,
      query: q,
      data: { ...empty, message: `"${q}" has no word to search for.` },
    });
  }
  // One vocabulary lookup serves both the typo-tolerant search and the "did you mean".
  const typos = typoWords(parsed).map((word) => ({ word, neighbours: typoNeighbours(word) }));
  const known = await knownWords(
    deps.db.kysely,
    deps.db.dialect,
    typos.flatMap((t) => [t.word, ...t.neighbours]),
  );
  const found = await runSearch(deps, { input: q, query: parsed, limit: PER_PAGE, offset: (page - 1) * PER_PAGE, known });
  const corrections = typoCorrections(typos, known);
  const matcher = wordMatcher(parsed, [...corrections.values()]);
  const suggestion = suggest(q, corrections);
  return sendPage(deps, request, reply, {
    template: 'search',
    title: `Search: ${q}`,
    query: q,
    data: {
      q,
      total: found.total,
      total_is_estimate: found.totalIsEstimate === true,
      start: (page - 1) * PER_PAGE + 1,
      suggestion: suggestion && { text: suggestion, href: `/search?q=${encodeURIComponent(suggestion)}` },
      results: found.hits.map(({ pkg }) => ({
        name: pkg.name,
        latest: pkg.latest_version,
        downloads: Number(pkg.downloads),
        nameParts: highlight(pkg.name, matcher),
        descriptionParts: highlight(pkg.description, matcher),
      })),
      pages: pager({
        label: 'Result pages',
        page,
        perPage: PER_PAGE,
        total: found.total,
        maxPage: MAX_WINDOW / PER_PAGE,
        href: (n) => `/search?q=${encodeURIComponent(q)}&page=${n}`,
      }),
    },
  });
}

/** Each typo-tolerant query word the index does not hold, with the first indexed word one edit away. */
function typoCorrections(typos: { word: string; neighbours: string[] }[], known: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const { word, neighbours } of typos) {
    if (known.has(word)) continue;
    const found = neighbours.filter((n) => known.has(n)).sort();
    if (found.length > 0) out.set(word, found[0]!);
  }
  return out;
}

/** The query with its misspelt words replaced, or null when none was. */
function suggest(q: string, corrections: Map<string, string>): string | null {
  if (corrections.size === 0) return null;
  let out = q;
  for (const [word, fix] of corrections) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu'), fix);
  }
  return out === q ? null : out;
}
