/**
 * Compiles a search AST to SQLite FTS5 MATCH expressions. Every term is emitted as a
 * double-quoted FTS5 string, so no user text is ever read as FTS5 syntax.
 *
 * FTS5 has only a binary NOT (`a NOT b`), so "everything except" cannot be one MATCH
 * expression. Each subtree therefore compiles either to a set (`match`) or to the complement of a
 * set (`exclude`), and the two combine by De Morgan's laws. The whole query ends up as exactly one
 * of the two, and the caller runs, on the table `package_search(name, keywords, description, author)`:
 *
 *   -- { match, exclude: null }
 *   SELECT rowid FROM package_search WHERE package_search MATCH :match
 *   -- { match: null, exclude }
 *   SELECT id FROM packages
 *   WHERE id NOT IN (SELECT rowid FROM package_search WHERE package_search MATCH :exclude)
 */
import type { SearchField, SearchNode, SearchQuery, TermNode } from './query.ts';

/** The FTS5 table's columns, in order. Create it with `tokenize='unicode61 remove_diacritics 2'`. */
export const FTS5_COLUMNS = ['name', 'keywords', 'description', 'author'] as const;

const COLUMN_OF: Record<SearchField, (typeof FTS5_COLUMNS)[number]> = {
  name: 'name',
  keyword: 'keywords',
  author: 'author',
};

/**
 * Exactly one side is set. `match`: the rows matching it. `exclude`: every row except those
 * matching it (the query held only negations, such as `-legacy` or `NOT (a OR b)`).
 */
export type Fts5Match = { match: string; exclude: null } | { match: null; exclude: string };

/** A compiled subtree: the rows matching `expr`, or when `negated`, every other row. */
interface Compiled {
  expr: string;
  negated: boolean;
  /** Needs parentheses when used as an operand. */
  compound: boolean;
}

/** Quotes text as one FTS5 string: inner double quotes are doubled. */
export function fts5String(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function term(node: TermNode): Compiled {
  const column = node.field ? `${COLUMN_OF[node.field]}:` : '';
  // A trailing `*` on a phrase makes its last token a prefix.
  const phrase = `${column}${fts5String(node.text)}${node.prefix ? '*' : ''}`;
  const tokens = node.text.split(' ');
  if (node.phrase || tokens.length === 1) return { expr: phrase, negated: false, compound: false };
  // An unquoted `http-client`: every part, anywhere. OR-ing in the phrase matches no other row (the
  // phrase implies its parts), but bm25 scores each phrase of the query, so adjacent parts rank higher.
  const parts = tokens.map((token, i) => `${column}${fts5String(token)}${node.prefix && i === tokens.length - 1 ? '*' : ''}`);
  return { expr: `${phrase} OR (${parts.join(' AND ')})`, negated: false, compound: true };
}

const operand = (c: Compiled): string => (c.compound ? `(${c.expr})` : c.expr);

function join(parts: Compiled[], operator: 'AND' | 'OR'): Compiled {
  if (parts.length === 1) return parts[0]!;
  return { expr: parts.map(operand).join(` ${operator} `), negated: false, compound: true };
}

/** `keep` without anything in `drop`; `drop` may be empty. */
function without(keep: Compiled, drop: Compiled[], negated: boolean): Compiled {
  if (drop.length === 0) return { ...keep, negated };
  return { expr: `${operand(keep)} NOT ${operand(join(drop, 'OR'))}`, negated, compound: true };
}

function compile(node: SearchNode): Compiled {
  switch (node.kind) {
    case 'term':
      return term(node);
    case 'not': {
      const inner = compile(node.child);
      return { ...inner, negated: !inner.negated };
    }
    case 'and': {
      const parts = node.children.map(compile);
      const positive = parts.filter((p) => !p.negated);
      const negative = parts.filter((p) => p.negated);
      // a AND NOT b AND NOT c = a NOT (b OR c); with no positive part: NOT (b OR c).
      if (positive.length === 0) return { ...join(negative, 'OR'), negated: true };
      return without(join(positive, 'AND'), negative, false);
    }
    case 'or': {
      const parts = node.children.map(compile);
      const positive = parts.filter((p) => !p.negated);
      const negative = parts.filter((p) => p.negated);
      // a OR NOT b OR NOT c = NOT ((b AND c) NOT a): the complement again.
      if (negative.length === 0) return join(positive, 'OR');
      return without(join(negative, 'AND'), positive, true);
    }
  }
}

/**
 * The FTS5 MATCH expression for a parsed query, or `null` for an empty query (no filter).
 * See the module comment for how to use each side in SQL.
 */
export function toFts5Match(query: SearchQuery): Fts5Match | null {
  if (!query) return null;
  const compiled = compile(query);
  return compiled.negated ? { match: null, exclude: compiled.expr } : { match: compiled.expr, exclude: null };
}
