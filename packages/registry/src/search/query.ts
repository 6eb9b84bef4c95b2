/**
 * The package search query language, parsed into a small AST that the SQLite FTS5 and
 * PostgreSQL tsquery compilers share. Parsing is lenient on purpose: a search box should never
 * answer "syntax error", so unbalanced quotes and parentheses close at the end and operators with
 * nothing to act on are dropped. Only oversized input is refused.
 *
 *   http client            both words (AND is the default)
 *   json OR yaml           either word; OR must be uppercase, `or` is an ordinary word
 *   NOT legacy, -legacy    without the word
 *   "http client"          the words next to each other, in order
 *   http-client            both parts (like `http client`), ranked higher next to each other
 *   name:x keyword:x author:"jane doe"   restrict a word or phrase to one field
 *   (json OR yaml) -xml    grouping
 *   http cl                the last word, typed without a trailing space, also matches as a prefix
 *   "http cl               ...so does an unclosed phrase at the end
 *   htt*                   an explicit trailing `*` makes any unquoted word a prefix
 *                          (of two characters or more: `a*` is the word `a`)
 */
import { badRequest } from '../../../core/src/errors.ts';

export type SearchField = 'name' | 'keyword' | 'author';

export interface TermNode {
  kind: 'term';
  /** Lowercased tokens joined by one space, split the way the FTS tokenizer splits text. */
  text: string;
  /** The word as the user typed it (NFC, without field prefix or quotes), for exact-name boosting. */
  raw: string;
  field?: SearchField;
  /**
   * The tokens must appear next to each other, in order: a quoted phrase of more than one token.
   * An unquoted word of several tokens (`http-client`) is no phrase: its tokens must all appear,
   * anywhere, like separate words, and packages holding them next to each other rank higher.
   */
  phrase: boolean;
  /** The last token also matches longer words that start with it. */
  prefix: boolean;
}

export interface BoolNode {
  kind: 'and' | 'or';
  /** At least two children; never a node of the same kind (nesting is flattened). */
  children: SearchNode[];
}

export interface NotNode {
  kind: 'not';
  /** Never itself a `not` (double negation is removed). */
  child: SearchNode;
}

export type SearchNode = TermNode | BoolNode | NotNode;

/** `null` means "no query": the input held no searchable word. */
export type SearchQuery = SearchNode | null;

export interface ParseSearchQueryOptions {
  /** In code points, after trimming surrounding whitespace. Default 256. */
  maxLength?: number;
  /** Terms (words or phrases) in the parsed query. Default 16. */
  maxTerms?: number;
  /** Tokens over all terms (`a-b-c` is one term of three tokens). Default 32. */
  maxTokens?: number;
}

export const DEFAULT_MAX_QUERY_LENGTH = 256;
export const DEFAULT_MAX_QUERY_TERMS = 16;
export const DEFAULT_MAX_QUERY_TOKENS = 32;
/** A last token shorter than this (in characters) is never a prefix. */
export const MIN_PREFIX_LENGTH = 2;
/** Parentheses deeper than this are refused, so recursion depth stays bounded whatever maxLength is. */
const MAX_NESTING = 32;

// A Map, not an object literal: `constructor:x` must not find Object.prototype.constructor.
const FIELDS = new Map<string, SearchField>([
  ['name', 'name'],
  ['keyword', 'keyword'],
  ['keywords', 'keyword'],
  ['author', 'author'],
]);

// SQLite's unicode61 tokenizer keeps letters, numbers, private-use characters and (because
// diacritics are removed) nonspacing marks inside tokens; everything else separates tokens.
const TOKEN = /[\p{L}\p{N}\p{Co}\p{Mn}]+/gu;
const HAS_BASE_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const EXPLICIT_PREFIX = /[\p{L}\p{N}\p{Co}\p{Mn}]\*+$/u;

/**
 * Splits text into lowercased tokens like the FTS tokenizer does, so `foo-bar` gives
 * `['foo', 'bar']`. A run of combining marks alone is no token (unicode61 strips it to nothing).
 */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.normalize('NFC').toLowerCase().matchAll(TOKEN)) {
    if (HAS_BASE_CHAR.test(match[0])) tokens.push(match[0]);
  }
  return tokens;
}

type Lexeme =
  | { kind: 'lparen' | 'rparen' | 'or' | 'and' | 'not' }
  | { kind: 'field'; field: SearchField }
  | { kind: 'text'; raw: string; quoted: boolean; inQuotes: boolean; atEnd: boolean; field?: SearchField };

const isSpace = (ch: string): boolean => /\s/u.test(ch);

function lex(input: string): Lexeme[] {
  const out: Lexeme[] = [];
  const n = input.length;
  let i = 0;
  const readQuoted = (field?: SearchField): void => {
    const close = input.indexOf('"', i + 1);
    const end = close === -1 ? n : close;
    const raw = input.slice(i + 1, end);
    i = close === -1 ? n : close + 1;
    // An unclosed quote running to the end is a phrase still being typed.
    const atEnd = close === -1 && !isSpace(input[n - 1]!);
    out.push({ kind: 'text', raw, quoted: close !== -1, inQuotes: true, atEnd, ...(field ? { field } : {}) });
  };
  while (i < n) {
    const ch = input[i]!;
    if (isSpace(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ kind: ch === '(' ? 'lparen' : 'rparen' });
      i++;
    } else if (ch === '"') {
      readQuoted();
    } else if (ch === '-') {
      while (input[i] === '-') i++;
      // A dash followed by nothing to negate is punctuation, not an operator.
      if (i < n && !isSpace(input[i]!) && input[i] !== ')') out.push({ kind: 'not' });
    } else {
      const start = i;
      while (i < n && !isSpace(input[i]!) && !'()"'.includes(input[i]!)) i++;
      const word = input.slice(start, i);
      if (word === 'OR') out.push({ kind: 'or' });
      else if (word === 'AND') out.push({ kind: 'and' });
      else if (word === 'NOT') out.push({ kind: 'not' });
      else {
        const colon = word.indexOf(':');
        const field = colon > 0 ? FIELDS.get(word.slice(0, colon).toLowerCase()) : undefined;
        if (field && colon === word.length - 1) {
          if (input[i] === '"') readQuoted(field);
          else out.push({ kind: 'field', field });
        } else {
          const raw = field ? word.slice(colon + 1) : word;
          out.push({ kind: 'text', raw, quoted: false, inQuotes: false, atEnd: i === n, ...(field ? { field } : {}) });
        }
      }
    }
  }
  return out;
}

interface Context {
  negated: boolean;
  field?: SearchField;
  depth: number;
}

/** Recursive descent over the lexemes; precedence is NOT, then AND, then OR. */
function parseLexemes(lexemes: Lexeme[]): SearchQuery {
  let pos = 0;
  const peek = (): Lexeme | undefined => lexemes[pos];

  const parseOr = (ctx: Context): SearchNode | null => {
    const alternatives: SearchNode[] = [];
    for (let next = peek(); next && next.kind !== 'rparen'; next = peek()) {
      if (next.kind === 'or') {
        pos++;
        continue;
      }
      const node = parseAnd(ctx);
      if (node) alternatives.push(node);
    }
    return combine('or', alternatives);
  };

  const parseAnd = (ctx: Context): SearchNode | null => {
    const parts: SearchNode[] = [];
    for (let next = peek(); next && next.kind !== 'rparen' && next.kind !== 'or'; next = peek()) {
      if (next.kind === 'and') {
        pos++;
        continue;
      }
      const node = parseUnary(ctx);
      if (node) parts.push(node);
    }
    return combine('and', parts);
  };

  // Always consumes at least one lexeme, so the loops above terminate.
  const parseUnary = (ctx: Context): SearchNode | null => {
    const lexeme = lexemes[pos++]!;
    switch (lexeme.kind) {
      case 'not': {
        const next = peek();
        if (!next || next.kind === 'rparen' || next.kind === 'or' || next.kind === 'and') return null;
        const inner = parseUnary({ ...ctx, negated: !ctx.negated });
        return inner ? negate(inner) : null;
      }
      case 'field': {
        const next = peek();
        if (!next || (next.kind !== 'text' && next.kind !== 'lparen')) return null;
        return parseUnary({ ...ctx, field: lexeme.field });
      }
      case 'lparen': {
        if (ctx.depth >= MAX_NESTING) {
          throw badRequest('search_query_too_complex', `Search queries nest parentheses at most ${MAX_NESTING} deep`);
        }
        const inner = parseOr({ ...ctx, depth: ctx.depth + 1 });
        if (peek()?.kind === 'rparen') pos++;
        return inner;
      }
      case 'text':
        return makeTerm(lexeme, ctx);
      default:
        // `)`, `OR` and `AND` are handled by the loops and never start a unary.
        return null;
    }
  };

  // Top level: a stray `)` is skipped and whatever surrounds it is AND-ed.
  const parts: SearchNode[] = [];
  while (pos < lexemes.length) {
    const node = parseOr({ negated: false, depth: 0 });
    if (node) parts.push(node);
    if (peek()?.kind === 'rparen') pos++;
  }
  return combine('and', parts);
}

function makeTerm(lexeme: Extract<Lexeme, { kind: 'text' }>, ctx: Context): TermNode | null {
  const raw = lexeme.raw.normalize('NFC').trim();
  const tokens = searchTokens(raw);
  if (tokens.length === 0) return null;
  const field = lexeme.field ?? ctx.field;
  const typingLastWord = lexeme.atEnd && !ctx.negated;
  // A one-letter prefix (`a*`) matches most of the index and costs a full bm25 scan: it matches as a word.
  const longEnough = [...tokens[tokens.length - 1]!].length >= MIN_PREFIX_LENGTH;
  const prefix = !lexeme.quoted && longEnough && (typingLastWord || EXPLICIT_PREFIX.test(raw));
  const phrase = lexeme.inQuotes && tokens.length > 1;
  return { kind: 'term', text: tokens.join(' '), raw, ...(field ? { field } : {}), phrase, prefix };
}

function negate(node: SearchNode): SearchNode {
  return node.kind === 'not' ? node.child : { kind: 'not', child: node };
}

function combine(kind: 'and' | 'or', nodes: SearchNode[]): SearchNode | null {
  const children = nodes.flatMap((node) => (node.kind === kind ? node.children : [node]));
  if (children.length === 0) return null;
  if (children.length === 1) return children[0]!;
  return { kind, children };
}

/** Terms and tokens in a query: what its compiled size and cost grow with. */
function countTerms(node: SearchNode): { terms: number; tokens: number } {
  if (node.kind === 'term') return { terms: 1, tokens: node.text.split(' ').length };
  if (node.kind === 'not') return countTerms(node.child);
  const sum = { terms: 0, tokens: 0 };
  for (const child of node.children) {
    const counted = countTerms(child);
    sum.terms += counted.terms;
    sum.tokens += counted.tokens;
  }
  return sum;
}

function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Parses a search box query into an AST, or `null` when there is nothing to search for. A query
 * of only negations is valid and means "everything except".
 *
 * @throws RegistryError 400 `search_query_too_long` past `maxLength` code points (default 256)
 * @throws RegistryError 400 `search_query_too_complex` past `maxTerms` terms (default 16) or
 *   `maxTokens` tokens (default 32)
 */
/**
 * Query text with control characters (NUL included, which PostgreSQL text cannot hold) turned into
 * spaces: no word contains one, so nothing a user meant is lost.
 */
export function withoutControlCharacters(text: string): string {
  return text.replace(/\p{Cc}/gu, ' ');
}

export function parseSearchQuery(input: string, options: ParseSearchQueryOptions = {}): SearchQuery {
  const maxLength = options.maxLength ?? DEFAULT_MAX_QUERY_LENGTH;
  const maxTerms = options.maxTerms ?? DEFAULT_MAX_QUERY_TERMS;
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_QUERY_TOKENS;
  const trimmed = input.trim();
  // A code point is one or two UTF-16 units, so only lengths in between need counting.
  const units = trimmed.length;
  if (units > maxLength * 2 || (units > maxLength && codePointLength(trimmed) > maxLength)) {
    throw badRequest('search_query_too_long', `Search queries are at most ${maxLength} characters`, {
      data: { maxLength },
    });
  }
  // Trailing whitespace is kept: it tells a finished last word from one still being typed.
  const query = parseLexemes(lex(input.trimStart()));
  const counted = query ? countTerms(query) : { terms: 0, tokens: 0 };
  if (counted.terms > maxTerms || counted.tokens > maxTokens) {
    throw badRequest(
      'search_query_too_complex',
      `Search queries have at most ${maxTerms} terms and ${maxTokens} words (a-b-c counts as three words)`,
      { data: { maxTerms, maxTokens } },
    );
  }
  return query;
}

/**
 * The terms a matching package must contain, in query order: those not under a negation. Each
 * alternative of an OR counts. Useful to boost packages whose name equals one of them.
 */
export function queryTerms(query: SearchQuery): TermNode[] {
  const out: TermNode[] = [];
  const walk = (node: SearchNode, negated: boolean): void => {
    if (node.kind === 'term') {
      if (!negated) out.push(node);
    } else if (node.kind === 'not') {
      walk(node.child, !negated);
    } else {
      for (const child of node.children) walk(child, negated);
    }
  };
  if (query) walk(query, false);
  return out;
}
