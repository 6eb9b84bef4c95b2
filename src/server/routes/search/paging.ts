/** The `page` / `per_page` query parameters every list takes, and the envelope it answers with. */
export const pagingProperties = {
  page: { type: 'integer', minimum: 1, default: 1 },
  per_page: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
} as const;

export interface PagingQuery {
  page: number;
  per_page: number;
}

/** LIMIT and OFFSET for a page. */
export const window = (q: PagingQuery) => ({ limit: q.per_page, offset: (q.page - 1) * q.per_page });

/** A paginated answer: `{total, page, per_page, results}`. */
export const paged = <T>(q: PagingQuery, total: number, results: T[]) => ({ total, page: q.page, per_page: q.per_page, results });
