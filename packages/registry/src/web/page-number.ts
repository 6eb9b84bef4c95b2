/** A page number from a query string, leniently: anything but a whole number in range is page 1. */
export function pageNumber(raw: unknown, maxPage: number): number {
  if (typeof raw !== 'string' || !/^[0-9]{1,6}$/.test(raw)) return 1;
  const n = Number(raw);
  return n >= 1 && n <= maxPage ? n : 1;
}

/** The deepest result a paged page list reaches, as the API's MAX_RESULT_WINDOW. */
export const MAX_WINDOW = 10_000;
