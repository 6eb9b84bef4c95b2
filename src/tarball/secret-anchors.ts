/**
 * Where a secret may start, found with `String.prototype.indexOf` (native, and near memchr speed when
 * the needle's first character is rare) instead of one regex alternation over all the text: irregexp
 * has no multi-literal search and tries every alternative at every position, about 2.7 ms a megabyte.
 *
 * Each needle is a piece of one or more of the scanner's prefilter literals, picked to start with a
 * character that is rare in source text; a hit only marks a line to check, so a false hit costs a line
 * match and a missed one would lose a secret. The set covers every literal of the prefilter:
 * `syn_`, `npm_`, `gh[pousr]_`, `github_pat_` and `_live_` through their underscore (checked around it,
 * as underscores are common in code), `AKIA` `ASIA` `ABIA` through `IA`, `ACCA` through `CCA`,
 * `-----BEGIN` through `BEGIN`, `xox` and `hooks.slack` through `ks.sl`.
 */

const NEEDLES = ['IA', 'CCA', 'BEGIN', 'xox', 'ks.sl'] as const;

// Characters before an underscore that may end `syn`, `npm`, `gh[pousr]` or `github`.
const BEFORE = new Set(['n', 'm', 'p', 'o', 'u', 's', 'r', 'b'].map((c) => c.charCodeAt(0)));
const L = 'l'.charCodeAt(0);

/** An underscore that may belong to one of the prefilter literals: a character code first, as most do not. */
function tokenUnderscore(text: string, at: number): boolean {
  if (!BEFORE.has(text.charCodeAt(at - 1)) && text.charCodeAt(at + 1) !== L) return false;
  return (
    text.startsWith('syn', at - 3) ||
    text.startsWith('npm', at - 3) ||
    (text.startsWith('gh', at - 3) && 'pousr'.includes(text[at - 1]!)) ||
    text.startsWith('github', at - 6) ||
    text.startsWith('_live_', at)
  );
}

/** Just past the line break after `at` (or the end of text). */
function lineAfter(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end + 1;
}

/** Hits of one needle, at most one a line (one is enough to match the whole line). */
function needleHits(text: string, needle: string, out: number[]): void {
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, lineAfter(text, at))) out.push(at);
}

function underscoreHits(text: string, out: number[]): void {
  for (let at = text.indexOf('_'); at !== -1; ) {
    if (!tokenUnderscore(text, at)) {
      at = text.indexOf('_', at + 1);
      continue;
    }
    out.push(at);
    at = text.indexOf('_', lineAfter(text, at));
  }
}

/** Offsets of the starts of the lines of text that may hold a secret, ascending. */
export function candidateLines(text: string): number[] {
  const hits: number[] = [];
  underscoreHits(text, hits);
  for (const needle of NEEDLES) needleHits(text, needle, hits);
  hits.sort((a, b) => a - b);
  const starts: number[] = [];
  for (const hit of hits) {
    const start = text.lastIndexOf('\n', hit - 1) + 1;
    if (starts[starts.length - 1] !== start) starts.push(start);
  }
  return starts;
}

/** Whether text (a stretch with no line break to go by) may hold a secret. */
export function mayHoldSecret(text: string): boolean {
  const hits: number[] = [];
  underscoreHits(text, hits);
  return hits.length > 0 || NEEDLES.some((needle) => text.includes(needle));
}
