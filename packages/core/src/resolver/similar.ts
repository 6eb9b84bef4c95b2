/** "Did you mean" for a package name that does not exist. */

/** Levenshtein distance; names are at most 214 characters, so the table stays small. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The candidates within a quarter of the name's length in edits (at least one), sorted, the name itself excluded. */
export function closeNames(name: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(name.length / 4));
  const out = new Set<string>();
  for (const other of candidates) if (other !== name && distance(name, other) <= limit) out.add(other);
  return [...out].sort();
}

/**
 * The registry searches that find candidates for closeNames (paths under /api/v1), at most three:
 * the full-text search for the name (typo-tolerant for single words), the autocomplete for its
 * first three characters (a typo later in a hyphenated name), and the search for its longest
 * word (a typo early in it: "htp-client" finds http-client through "client").
 */
export function similarNameQueries(name: string): string[] {
  const queries = [`/search?${new URLSearchParams({ q: name, per_page: '20' })}`];
  if (name.length > 3) queries.push(`/search/suggest?${new URLSearchParams({ q: name.slice(0, 3), per_page: '20' })}`);
  const words = name.split(/[-_.]+/).filter((w) => w.length >= 3);
  const longest = words.sort((a, b) => b.length - a.length)[0];
  if (words.length > 1 && longest) queries.push(`/search?${new URLSearchParams({ q: longest, per_page: '20' })}`);
  return queries;
}

/** The names in a search or suggest answer (both list `results[].name`), at most 20. */
export function namesIn(answer: unknown): string[] {
  const results = (answer as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return [];
  return results
    .slice(0, 20)
    .map((r: { name?: unknown } | null) => r?.name)
    .filter((n): n is string => typeof n === 'string');
}
