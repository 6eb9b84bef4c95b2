/**
 * Compiles a search AST to a PostgreSQL tsquery string for `to_tsquery('simple', $1)`. The
 * string is always passed as a bind parameter; every lexeme is single-quoted, so no user text is
 * read as tsquery syntax.
 *
 * Field filters become weight labels, so the document vector must be built with the same ones:
 *
 *   setweight(to_tsvector('simple', name), 'A') || setweight(to_tsvector('simple', keywords), 'B')
 *   || setweight(to_tsvector('simple', description), 'C') || setweight(to_tsvector('simple', author), 'D')
 *
 * Query tokens come from `searchTokens` (the SQLite unicode61 rules), while PostgreSQL's parser
 * keeps some things whole (`1.2.0`, `a@b.io`, `/usr/lib`), so those would not match as phrases of
 * their parts. Feeding each column through `searchTokens(text).join(' ')` before `to_tsvector`
 * makes both sides split text the same way.
 *
 * Unlike FTS5, tsquery has a unary `!`, so a query of only negations needs no special handling.
 * A token the PostgreSQL parser finds no lexeme in (a rare symbol the SQLite tokenizer keeps) is
 * dropped by `to_tsquery` with a notice, never an error.
 */
import type { SearchField, SearchNode, SearchQuery, TermNode } from './query.ts';

/** The weight label each field filter maps to; unfiltered terms match any weight, `C` included. */
export const TSQUERY_WEIGHTS: Record<SearchField | 'description', 'A' | 'B' | 'C' | 'D'> = {
  name: 'A',
  keyword: 'B',
  description: 'C',
  author: 'D',
};

/** Quotes one lexeme: inner single quotes and backslashes are doubled. */
export function tsqueryLexeme(token: string): string {
  return `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

interface Compiled {
  expr: string;
  /** Needs parentheses when used as an operand. */
  compound: boolean;
}

function lexemesOf(node: TermNode): string[] {
  const weight = node.field ? TSQUERY_WEIGHTS[node.field] : '';
  const tokens = node.text.split(' ');
  return tokens.map((token, i) => {
    const star = node.prefix && i === tokens.length - 1 ? '*' : '';
    const label = star + weight;
    return tsqueryLexeme(token) + (label ? `:${label}` : '');
  });
}

function term(node: TermNode): Compiled {
  const lexemes = lexemesOf(node);
  // A quoted phrase: next to each other. An unquoted `http-client`: every part, anywhere (adjacent
  // parts rank higher through toAdjacencyTsquery, as ts_rank ignores positions).
  return { expr: lexemes.join(node.phrase ? ' <-> ' : ' & '), compound: lexemes.length > 1 };
}

const operand = (c: Compiled): string => (c.compound ? `(${c.expr})` : c.expr);

function compile(node: SearchNode): Compiled {
  switch (node.kind) {
    case 'term':
      return term(node);
    case 'not':
      return { expr: `!${operand(compile(node.child))}`, compound: false };
    case 'and':
    case 'or':
      return {
        expr: node.children.map((child) => operand(compile(child))).join(node.kind === 'and' ? ' & ' : ' | '),
        compound: true,
      };
  }
}

/** The tsquery text for `to_tsquery('simple', $1)`, or `null` for an empty query (no filter). */
export function toTsquery(query: SearchQuery): string | null {
  return query ? compile(query).expr : null;
}

/**
 * The unquoted words of several parts outside negations (`http-client`), each as a phrase, OR-ed:
 * a package matching this holds some of them with their parts next to each other, and ranks higher.
 * `null` when the query has no such word.
 */
export function toAdjacencyTsquery(query: SearchQuery): string | null {
  const phrases: string[] = [];
  const walk = (node: SearchNode, negated: boolean): void => {
    if (node.kind === 'term') {
      if (!negated && !node.phrase && node.text.includes(' ')) phrases.push(`(${lexemesOf(node).join(' <-> ')})`);
    } else if (node.kind === 'not') {
      walk(node.child, !negated);
    } else {
      for (const child of node.children) walk(child, negated);
    }
  };
  if (query) walk(query, false);
  return phrases.length > 0 ? phrases.join(' | ') : null;
}
