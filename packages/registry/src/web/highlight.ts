/**
 * Matched words, marked: text is split into plain and matched parts (the template escapes both and
 * wraps the matched ones in <mark>), so no HTML is ever built from package text here.
 */
import { queryTerms, type SearchQuery } from '../search/index.ts';

export interface Part {
  text: string;
  hit: boolean;
}

const MAX_WORDS = 32;

/** A matcher for the query's words (and their typo corrections) at the start of a word, or null. */
export function wordMatcher(query: SearchQuery, corrections: readonly string[] = []): RegExp | null {
  const words = new Set<string>();
  for (const term of queryTerms(query)) for (const token of term.text.split(' ')) if (token) words.add(token);
  for (const word of corrections) words.add(word);
  const list = [...words].slice(0, MAX_WORDS).sort((a, b) => b.length - a.length);
  if (list.length === 0) return null;
  const escaped = list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})`, 'giu');
}

export function highlight(text: string | null, matcher: RegExp | null): Part[] {
  if (!text) return [];
  if (!matcher) return [{ text, hit: false }];
  const parts: Part[] = [];
  let at = 0;
  for (const match of text.matchAll(matcher)) {
    const start = match.index;
    if (start > at) parts.push({ text: text.slice(at, start), hit: false });
    parts.push({ text: match[0], hit: true });
    at = start + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}
