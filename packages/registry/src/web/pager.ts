/** The page links of a paged list: at most seven numbers around the current page. */
export interface Pages {
  label: string;
  prev: string | null;
  next: string | null;
  links: { page: number; href: string; current: boolean }[];
}

export function pager(options: {
  label: string;
  page: number;
  perPage: number;
  total: number;
  maxPage: number;
  href: (page: number) => string;
}): Pages {
  const last = Math.max(1, Math.min(options.maxPage, Math.ceil(options.total / options.perPage)));
  const from = Math.max(1, Math.min(options.page - 3, last - 6));
  const to = Math.min(last, from + 6);
  const links = [];
  for (let page = from; page <= to; page++) links.push({ page, href: options.href(page), current: page === options.page });
  return {
    label: options.label,
    prev: options.page > 1 ? options.href(options.page - 1) : null,
    next: options.page < last ? options.href(options.page + 1) : null,
    links,
  };
}
