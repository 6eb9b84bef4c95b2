import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';

interface SearchAnswer {
  query: string;
  total: number;
  page: number;
  per_page: number;
  results: { name: string; description: string | null; latest: string | null; keywords: string[]; downloads: number }[];
}

/** Searches the registry (AND by default; OR, NOT, "phrases", name:, keyword:, author:). */
export async function search(ctx: Context, query: string, options: { page?: string; perPage?: string }): Promise<CommandOutput> {
  const params = new URLSearchParams({ q: query });
  for (const [key, value] of [
    ['page', options.page],
    ['per_page', options.perPage],
  ] as const) {
    if (value === undefined) continue;
    if (!/^\d+$/.test(value)) throw userError('invalid_option', `--${key.replace('_', '-')} takes a positive whole number`);
    params.set(key, value);
  }
  const answer = await apiRequest<SearchAnswer>(ctx, { path: `/search?${params}` });
  if (answer.results.length === 0) return output(answer, `No packages match "${query}"`);
  const width = Math.min(40, Math.max(...answer.results.map((r) => `${r.name}@${r.latest ?? '-'}`.length)));
  const lines = answer.results.map((r) => `${`${r.name}@${r.latest ?? '-'}`.padEnd(width)}  ${r.description ?? ''}`.trimEnd());
  const first = (answer.page - 1) * answer.per_page + 1;
  lines.push(`${first}–${first + answer.results.length - 1} of ${answer.total}`);
  return output(answer, lines.join('\n'));
}
