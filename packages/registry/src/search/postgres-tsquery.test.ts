import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryError } from '../../../core/src/errors.ts';
import { parseSearchQuery, searchTokens, type SearchNode, type SearchQuery } from './query.ts';
import { toAdjacencyTsquery, toTsquery, tsqueryLexeme } from './postgres-tsquery.ts';

const cases: Array<[input: string, expected: string | null]> = [
  ['', null],
  ['OR NOT - * ( ) "', null],
  ['😀 🎉', null],
  ['http', "'http':*"],
  ['http ', "'http'"],
  ['http client', "'http' & 'client':*"],
  ['json OR yaml ', "'json' | 'yaml'"],
  ['a b OR c d ', "('a' & 'b') | ('c' & 'd')"],
  ['(json OR yaml) parser ', "('json' | 'yaml') & 'parser'"],
  ['-legacy', "!'legacy'"],
  ['-a -b ', "!'a' & !'b'"],
  ['http -legacy NOT old ', "'http' & !'legacy' & !'old'"],
  ['json OR -yaml ', "'json' | !'yaml'"],
  ['NOT (a OR b) ', "!('a' | 'b')"],
  ['"http client" ', "'http' <-> 'client'"],
  ['http-client ', "'http' & 'client'"],
  ['http-cl', "'http' & 'cl':*"],
  ['-"left pad" x ', "!('left' <-> 'pad') & 'x'"],
  ['"a b" OR "c d" ', "('a' <-> 'b') | ('c' <-> 'd')"],
  ['name:http ', "'http':A"],
  ['keyword:json ', "'json':B"],
  ['author:"jane doe" ', "'jane':D <-> 'doe':D"],
  ['author:"jane do', "'jane':D <-> 'do':*D"],
  ['name:ht', "'ht':*A"],
  ['-name:legacy x ', "!'legacy':A & 'x'"],
  ['name:(a OR b) c ', "('a':A | 'b':A) & 'c'"],
  ['Café ÜBER ', "'café' & 'über'"],
  ["'; DROP TABLE packages; -- ", "'drop' & 'table' & 'packages'"],
  ["don't ", "'don' & 't'"],
  ['a:*B & b | !c <-> d ', "('a' & 'b') & 'b' & 'c' & 'd'"],
  ['NEAR(a b) ', "'near' & 'a' & 'b'"],
];

describe('toTsquery', () => {
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => {
      assert.equal(toTsquery(parseSearchQuery(input)), expected);
    });
  }

  test('an unquoted hyphenated word matches its parts anywhere; the adjacency query ranks them next to each other', () => {
    assert.equal(toTsquery(parseSearchQuery('lib-xyz ')), "'lib' & 'xyz'");
    assert.equal(toTsquery(parseSearchQuery('"lib xyz" ')), "'lib' <-> 'xyz'");
    assert.equal(toAdjacencyTsquery(parseSearchQuery('lib-xyz -old-one name:http-cl')), "('lib' <-> 'xyz') | ('http':A <-> 'cl':*A)");
    assert.equal(toAdjacencyTsquery(parseSearchQuery('"lib xyz" plain')), null);
  });

  test('quotes a hand-built lexeme with quotes and backslashes', () => {
    assert.equal(tsqueryLexeme("it's"), "'it''s'");
    assert.equal(tsqueryLexeme('a\\b'), "'a\\\\b'");
    const query: SearchQuery = { kind: 'term', text: "x'y", raw: '', phrase: false, prefix: true };
    assert.equal(toTsquery(query), "'x''y':*");
  });
});

// A small tsquery reader: it checks the compiled strings are well formed, and evaluating what it
// reads (with PostgreSQL's precedence ! > <-> > & > |) must agree with the AST's meaning.
type Lexeme = { kind: 'lexeme'; text: string; prefix: boolean; weights: string };
type Ts = Lexeme | { kind: 'not'; child: Ts } | { kind: 'and' | 'or'; left: Ts; right: Ts } | { kind: 'phrase'; items: Lexeme[] };

function readTsquery(source: string): Ts {
  let pos = 0;
  const skip = (): void => {
    while (source[pos] === ' ') pos++;
  };
  const eat = (token: string): boolean => {
    skip();
    if (!source.startsWith(token, pos)) return false;
    pos += token.length;
    return true;
  };
  const lexeme = (): Lexeme => {
    skip();
    assert.equal(source[pos], "'", `lexeme expected at ${pos} in ${source}`);
    let text = '';
    for (pos++; ; pos++) {
      assert.ok(pos < source.length, `unterminated lexeme in ${source}`);
      if (source.startsWith("''", pos) || source.startsWith('\\\\', pos)) text += source[pos++];
      else if (source[pos] === "'") break;
      else text += source[pos];
    }
    pos++;
    const label = /^:(\*?)([ABCD]*)/.exec(source.slice(pos));
    if (label) pos += label[0].length;
    assert.match(text, /^[\p{L}\p{N}\p{Co}\p{Mn}]+$/u, `lexeme ${text} in ${source}`);
    return { kind: 'lexeme', text, prefix: label?.[1] === '*', weights: label?.[2] ?? '' };
  };
  const unary = (): Ts => {
    if (eat('!')) return { kind: 'not', child: unary() };
    if (eat('(')) {
      const inner = or();
      assert.ok(eat(')'), `) expected at ${pos} in ${source}`);
      return inner;
    }
    return lexeme();
  };
  const phrase = (): Ts => {
    const first = unary();
    if (!eat('<->')) return first;
    const items = [first];
    do items.push(unary());
    while (eat('<->'));
    assert.ok(
      items.every((item) => item.kind === 'lexeme'),
      `phrase of lexemes only in ${source}`,
    );
    return { kind: 'phrase', items: items as Lexeme[] };
  };
  const binary = (kind: 'and' | 'or', token: string, operand: () => Ts) => (): Ts => {
    let left = operand();
    while (eat(token)) left = { kind, left, right: operand() };
    return left;
  };
  const and = binary('and', '&', phrase);
  const or = binary('or', '|', and);
  const tree = or();
  skip();
  assert.equal(pos, source.length, `trailing text at ${pos} in ${source}`);
  return tree;
}

// Documents as weighted columns: name A, keywords B, description C, author D.
const DOCS: string[][] = [
  ['http-client', 'http client fetch', 'A small HTTP client', 'Jane Doe'],
  ['http-server', 'http server', 'A fast HTTP server', 'John Smith'],
  ['fetch', 'http request', 'The fetch API', 'Jane Doe'],
  ['left-pad', 'string padding', 'Pad a string', 'Dan Pad'],
  ['json-parse', 'json parser', 'Parse JSON', 'Ann Lee'],
  ['yaml', 'yaml parser config', 'YAML parser', 'Bob Marsh'],
  ['café', 'coffee', 'Crème brûlée', 'José Müller'],
  ['legacy-http', 'http deprecated', 'Old client', 'John Smith'],
];
const WEIGHTS = ['A', 'B', 'C', 'D'];
const DOC_TOKENS = DOCS.map((doc) => doc.map((column) => searchTokens(column)));
const FIELD_WEIGHT = { name: 'A', keyword: 'B', author: 'D' } as const;

function phraseIn(doc: string[][], items: Lexeme[]): boolean {
  return doc.some(
    (tokens, column) =>
      items.every((item) => item.weights === '' || item.weights.includes(WEIGHTS[column]!)) &&
      tokens.some((_, start) =>
        items.every((item, i) => {
          const actual = tokens[start + i];
          return actual !== undefined && (item.prefix ? actual.startsWith(item.text) : actual === item.text);
        }),
      ),
  );
}

function evalTs(node: Ts, doc: string[][]): boolean {
  switch (node.kind) {
    case 'lexeme':
      return phraseIn(doc, [node]);
    case 'phrase':
      return phraseIn(doc, node.items);
    case 'not':
      return !evalTs(node.child, doc);
    case 'and':
      return evalTs(node.left, doc) && evalTs(node.right, doc);
    case 'or':
      return evalTs(node.left, doc) || evalTs(node.right, doc);
  }
}

function evalAst(node: SearchNode, doc: string[][]): boolean {
  switch (node.kind) {
    case 'term': {
      const weights = node.field ? FIELD_WEIGHT[node.field] : '';
      const tokens = node.text.split(' ');
      const lexemes: Lexeme[] = tokens.map((text, i) => ({
        kind: 'lexeme',
        text,
        weights,
        prefix: node.prefix && i === tokens.length - 1,
      }));
      // A quoted phrase: next to each other; an unquoted `a-b`: each part anywhere.
      return node.phrase ? phraseIn(doc, lexemes) : lexemes.every((lexeme) => phraseIn(doc, [lexeme]));
    }
    case 'not':
      return !evalAst(node.child, doc);
    case 'and':
      return node.children.every((child) => evalAst(child, doc));
    case 'or':
      return node.children.some((child) => evalAst(child, doc));
  }
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [
  'OR',
  'NOT',
  'AND',
  '-',
  ' -',
  ' OR ',
  ' OR -',
  ' NOT ',
  '"',
  '(',
  ')',
  ' (',
  ') ',
  '*',
  ':',
  ':*',
  ':*A',
  '&',
  '|',
  '!',
  '<->',
  '<2>',
  "'",
  "''",
  '\\',
  ';',
  ' ',
  ' ',
  ' ',
  'name:',
  'keyword:',
  'author:',
  'http',
  'client',
  'cl',
  'pad',
  'json',
  'jane',
  'doe',
  'parser',
  'p',
  'café',
  'e\u0301',
  '😀',
  '日本語',
  "'; DROP TABLE packages; --",
];

test('2,000 random nasty queries compile to well-formed tsquery text with the AST meaning', () => {
  const next = random(424_242);
  let compiled = 0;
  for (let i = 0; i < 2_000; i++) {
    let input = '';
    const pieces = Math.floor(next() * 24);
    for (let p = 0; p < pieces; p++) input += NASTY[Math.floor(next() * NASTY.length)];
    let query: SearchQuery;
    try {
      query = parseSearchQuery(input);
    } catch (error) {
      assert.ok(error instanceof RegistryError && error.code === 'search_query_too_complex', String(error));
      continue;
    }
    const text = toTsquery(query);
    if (query === null) {
      assert.equal(text, null);
      continue;
    }
    assert.ok(text);
    compiled++;
    const tree = readTsquery(text);
    for (const doc of DOC_TOKENS) {
      assert.equal(evalTs(tree, doc), evalAst(query, doc), `${JSON.stringify(input)} → ${text}`);
    }
  }
  assert.ok(compiled > 1_000, `only ${compiled} queries compiled`);
});
