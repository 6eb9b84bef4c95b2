/** "Did you mean" for the client's "no such package" messages, from the registry's search. */
import { closeNames, namesIn, similarNameQueries } from '../../core/src/resolver/similar.ts';
import type { Context } from './context.ts';
import { CliError } from './errors.ts';
import { apiRequest } from './http.ts';

/** Close names the registry knows; empty when the search fails (a suggestion is never worth an error). */
export async function similarPackages(ctx: Context, name: string): Promise<string[]> {
  const found = await Promise.all(similarNameQueries(name).map((path) => apiRequest(ctx, { path }).then(namesIn, () => [] as string[])));
  return closeNames(name, found.flat());
}

/** Runs a request about one package; a `package_not_found` answer gains a "did you mean" hint. */
export async function withSuggestion<T>(ctx: Context, name: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof CliError) || error.code !== 'package_not_found') throw error;
    const similar = await similarPackages(ctx, name);
    if (similar.length === 0) throw error;
    throw new CliError(error.exitCode, error.code, error.message, {
      hint: `Did you mean ${similar.join(' or ')}?`,
      data: { ...error.data, similar },
      cause: error,
    });
  }
}
