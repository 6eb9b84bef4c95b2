/**
 * Where a secret may start, found with `String.prototype.indexOf` (native, and near memchr speed when
 * the needle's first character is rare) instead of one regex alternation over all the text: irregexp
 * has no multi-literal search and tries every alternative at every position, about 2.7 ms a megabyte.
 *
 * Each needle is a piece of one or more of the scanner's prefilter literals, picked to start with a
 * character that is rare in source text and in prose; a hit only marks a line to check, so a false hit
 * costs a line match and a missed one would lose a secret. The set covers every literal of the
 * prefilter: `syn_`, `npm_`, `gh[pousr]_`, `github_pat_` and `_live_` through their underscore,
 * `xox[abposr]-` through its hyphen and `hooks.slack` through the `/T` after `services` (each
 * checked around the hit, as underscores and hyphens are common in code), `AKIA` `ASIA`
 * `ABIA` through `IA`, `ACCA` through `CCA`, `-----BEGIN` through `BEGIN`. A needle starting with a
 * lowercase letter (`xox`, `ks.sl`) cost up to 0.4 ms a megabyte on text full of that letter.
 */

const NEEDLES = ['IA', 'CCA', 'BEGIN'] as const;

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

/** Hits of a needle that `accept` confirms around it, at most one a line. */
function checkedHits(text: string, needle: string, accept: (text: string, at: number) => boolean, out: number[]): void {
  for (let at = text.indexOf(needle); at !== -1; ) {
    if (!accept(text, at)) {
      at = text.indexOf(needle, at + 1);
      continue;
    }
    out.push(at);
    at = text.indexOf(needle, lineAfter(text, at));
  }
}

const X = 'x'.charCodeAt(0);
/** The hyphen of `xox[abposr]-`. */
const slackHyphen = (text: string, at: number) =>
  text.charCodeAt(at - 4) === X && text.startsWith('xox', at - 4) && 'abposr'.includes(text[at - 1]!);
/** The `/T` of `hooks.slack.com/services/T`. */
const slackHook = (text: string, at: number) => text.startsWith('hooks.slack.com/services', at - 24);

function allHits(text: string): number[] {
  const hits: number[] = [];
  checkedHits(text, '_', tokenUnderscore, hits);
  checkedHits(text, '-', slackHyphen, hits);
  checkedHits(text, '/T', slackHook, hits);
  for (const needle of NEEDLES) needleHits(text, needle, hits);
  return hits;
}

/** Offsets of the starts of the lines of text that may hold a secret, ascending. */
export function candidateLines(text: string): number[] {
  const hits = allHits(text);
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
  return allHits(text).length > 0;
}
