/**
 * The `page` / `per_page` query parameters every list takes, and the envelope it answers with.
 *
 * They are read here rather than by the schema's integer coercion, which lets `1e300` and
 * `Infinity` through as numbers (a 500 from the database, or an OFFSET no index can serve). Every
 * wrong value is a 400 `invalid_query_parameter` saying which values are allowed, and the deepest
 * reachable result is MAX_RESULT_WINDOW, so no page costs more than the first MAX_RESULT_WINDOW rows.
 */
import { badRequest } from '../../../../../core/src/errors.ts';

export const MAX_PER_PAGE = 100;
/** page × per_page at most: deeper results are for a narrower query, not for paging. */
export const MAX_RESULT_WINDOW = 10_000;

const describePage = `a whole number from 1 to ${MAX_RESULT_WINDOW}`;

/** For the route schema: documented, but not coerced or checked there (readPaging does the checking). */
export const pagingProperties = (defaultPerPage = 20) => ({
  page: { description: `Page number, ${describePage}; page × per_page at most ${MAX_RESULT_WINDOW}. Default 1.`, examples: ['1'] },
  per_page: { description: `Results per page, from 1 to ${MAX_PER_PAGE}. Default ${defaultPerPage}.`, examples: [String(defaultPerPage)] },
});

export interface PagingQuery {
  page: number;
  per_page: number;
}

const WHOLE = /^[0-9]{1,9}$/;

function readWhole(name: string, raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && WHOLE.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) {
    const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : 'given more than once';
    throw badRequest('invalid_query_parameter', `${name} must be a whole number from 1 to ${max} (got ${shown})`, {
      data: { parameter: name, minimum: 1, maximum: max },
    });
  }
  return value;
}

/**
 * Reads `page` and `per_page` from a raw query string object.
 *
 * @throws RegistryError 400 `invalid_query_parameter` for anything but whole numbers in range
 */
export function readPaging(query: Record<string, unknown>, defaults: { perPage?: number } = {}): PagingQuery {
  const perPage = readWhole('per_page', query.per_page, defaults.perPage ?? 20, MAX_PER_PAGE);
  const page = readWhole('page', query.page, 1, MAX_RESULT_WINDOW);
  if (page * perPage > MAX_RESULT_WINDOW) {
    const last = Math.floor(MAX_RESULT_WINDOW / perPage);
    throw badRequest(
      'invalid_query_parameter',
      `page ${page} with per_page ${perPage} reaches past result ${MAX_RESULT_WINDOW}: the last page is ${last}; narrow the query to see more`,
      { data: { parameter: 'page', minimum: 1, maximum: last } },
    );
  }
  return { page, per_page: perPage };
}

/** LIMIT and OFFSET for a page. */
export const window = (q: PagingQuery) => ({ limit: q.per_page, offset: (q.page - 1) * q.per_page });

/** A paginated answer: `{total, page, per_page, results}`. */
export const paged = <T>(q: PagingQuery, total: number, results: T[]) => ({ total, page: q.page, per_page: q.per_page, results });
