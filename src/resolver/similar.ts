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
