import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { RegistryError } from '../../../core/src/errors.ts';
import { parseSearchQuery, type SearchNode, type SearchQuery, type TermNode } from './query.ts';
import { FTS5_COLUMNS, fts5String, toFts5Match } from './sqlite-fts5.ts';

type Row = [name: string, keywords: string, description: string, author: string];

const PACKAGES: Row[] = [
  ['http-client', 'http client fetch', 'A small HTTP client for Synapse', 'Jane Doe'],
  ['http-server', 'http server', 'A fast HTTP server', 'John Smith'],
  ['fetch', 'http request', 'The fetch API for Synapse', 'Jane Doe'],
  ['json-parse', 'json parser', 'Parse JSON quickly', 'Ann Lee'],
  ['yaml', 'yaml parser config', 'YAML 1.2 parser and emitter', 'Bob Marsh'],
  ['toml', 'toml config', 'TOML parser', 'Ann Lee'],
  ['xml-tools', 'xml parser', 'XML parsing and writing', 'Carl Jung'],
  ['left-pad', 'string padding', 'Pad the left side of a string', 'Dan Pad'],
  ['right-pad', 'string padding', 'Pad the right side of a string', 'Dan Pad'],
  ['string-utils', 'string utilities', 'Helpers for strings', 'Eve Adams'],
  ['legacy-http', 'http deprecated', 'Old client, use the newer one', 'John Smith'],
  ['react', 'ui components', 'A UI library', 'Meta Team'],
  ['reactive', 'streams observable', 'Reactive streams', 'Jane Smith'],
  ['redux', 'state', 'Predictable state container', 'Dan Abram'],
  ['router', 'http routing', 'URL router for servers', 'Jane Doe'],
  ['cafe', 'coffee', 'Café ordering with crème brûlée', 'José Müller'],
  ['test-runner', 'testing', 'Run tests in parallel', 'Eve Adams'],
  ['testing-library', 'testing ui', 'Testing utilities for UI components', 'Kent Dodds'],
  ['logger', 'logging', 'Structured logging to JSON lines', 'Bob Marsh'],
  ['log-rotate', 'logging files', 'Rotate log files', 'Bob Marsh'],
  ['crypto', 'hashing security', 'Hash functions: sha256 and argon2', 'Ann Lee'],
  ['base64', 'encoding', 'Base64 encoding and decoding', 'Carl Jung'],
  ['uuid', 'id', 'Generate UUIDs', 'Eve Adams'],
  ['semver', 'versions', 'Semantic version parsing', 'Isaac Schlueter'],
  ['cli-args', 'cli parser', 'Parse command line arguments', 'John Doe'],
  ['color', 'terminal ansi', 'Terminal colours', 'Sindre Sorhus'],
  ['doe-utils', 'misc', 'Utilities, nothing else', 'Jane Roe'],
  ['near-cache', 'cache', 'A cache near the edge', 'Ann Lee'],
  ['nihongo', '日本語 i18n', '日本語のテキスト', 'Taro Yamada'],
  ['sql-builder', 'sql database', "Build SQL such as DROP TABLE safely; don't worry", 'John Smith'],
];
const ALL_NAMES = PACKAGES.map((row) => row[0]).sort();

let db: Database.Database;

before(() => {
  db = new Database(':memory:');
  db.exec(`
    CREATE TABLE packages (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE VIRTUAL TABLE package_fts USING fts5(${FTS5_COLUMNS.join(', ')}, tokenize = 'unicode61 remove_diacritics 2');
  `);
  const insertPackage = db.prepare('INSERT INTO packages (id, name) VALUES (?, ?)');
  const insertFts = db.prepare('INSERT INTO package_fts (rowid, name, keywords, description, author) VALUES (?, ?, ?, ?, ?)');
  PACKAGES.forEach((row, i) => {
    insertPackage.run(i + 1, row[0]);
    insertFts.run(i + 1, ...row);
  });
});

after(() => db.close());

/** Runs a parsed query the way the registry's SQL does, returning package names sorted. */
function runQuery(query: SearchQuery): string[] {
  const compiled = toFts5Match(query);
  let rows: Array<{ name: string }>;
  if (!compiled) {
    rows = db.prepare('SELECT name FROM packages').all() as Array<{ name: string }>;
  } else if (compiled.match !== null) {
    rows = db
      .prepare(
        `SELECT p.name FROM package_fts JOIN packages p ON p.id = package_fts.rowid
         WHERE package_fts MATCH ? ORDER BY rank`,
      )
      .all(compiled.match) as Array<{ name: string }>;
  } else {
    rows = db
      .prepare('SELECT name FROM packages WHERE id NOT IN (SELECT rowid FROM package_fts WHERE package_fts MATCH ?)')
      .all(compiled.exclude) as Array<{ name: string }>;
  }
  return rows.map((row) => row.name).sort();
}

const search = (input: string): string[] => runQuery(parseSearchQuery(input));
const except = (...names: string[]): string[] => ALL_NAMES.filter((name) => !names.includes(name));

const cases: Array<[input: string, expected: string[]]> = [
  // AND by default, across any column.
  ['http ', ['fetch', 'http-client', 'http-server', 'legacy-http', 'router']],
  ['http client ', ['http-client', 'legacy-http']],
  ['"http client" OR name:http-client ', ['http-client']],
  ['parser config ', ['toml', 'yaml']],
  ['HTTP SERVER ', ['http-server']],
  ['http AND server ', ['http-server']],
  // OR, and its precedence below AND.
  ['yaml OR toml ', ['toml', 'yaml']],
  ['json parser OR toml ', ['json-parse', 'toml']],
  ['(json OR yaml) parser ', ['json-parse', 'yaml']],
  ['json or yaml ', []],
  // NOT and -term.
  ['http -legacy ', ['fetch', 'http-client', 'http-server', 'router']],
  ['http NOT deprecated NOT server ', ['fetch', 'http-client', 'router']],
  [
    '-http -string -testing ',
    except(
      'fetch',
      'http-client',
      'http-server',
      'legacy-http',
      'router',
      'left-pad',
      'right-pad',
      'string-utils',
      'test-runner',
      'testing-library',
    ),
  ],
  ['NOT (parser OR padding) ', except('json-parse', 'yaml', 'toml', 'xml-tools', 'cli-args', 'left-pad', 'right-pad')],
  ['toml OR -parser ', except('json-parse', 'yaml', 'xml-tools', 'cli-args')],
  ['toml OR -parser OR -config ', except('yaml')],
  [
    '(http -fetch) OR (-parser -padding -http) ',
    except('fetch', 'http-client', 'json-parse', 'yaml', 'toml', 'xml-tools', 'cli-args', 'left-pad', 'right-pad'),
  ],
  ['-"jane doe" jane ', ['doe-utils', 'reactive']],
  // Phrases.
  ['"http client" ', ['http-client']],
  ['"client http" ', []],
  ['"jane doe" ', ['fetch', 'http-client', 'router']],
  ['"string padding" ', ['left-pad', 'right-pad']],
  // Field filters.
  ['name:http ', ['http-client', 'http-server', 'legacy-http']],
  ['keyword:http ', ['fetch', 'http-client', 'http-server', 'legacy-http', 'router']],
  ['keywords:testing ', ['test-runner', 'testing-library']],
  ['testing ', ['test-runner', 'testing-library']],
  ['author:doe ', ['cli-args', 'fetch', 'http-client', 'router']],
  ['doe ', ['cli-args', 'doe-utils', 'fetch', 'http-client', 'router']],
  ['author:"jane doe" ', ['fetch', 'http-client', 'router']],
  ['author:"jane doe" -name:http ', ['fetch', 'router']],
  ['name:(pad OR yaml) ', ['left-pad', 'right-pad', 'yaml']],
  ['name:test', ['test-runner', 'testing-library']],
  // The last word typed is a prefix; a finished word or a quoted one is not.
  ['http cl', ['http-client', 'legacy-http']],
  ['http cl ', []],
  ['"http cl"', []],
  ['reac', ['react', 'reactive']],
  ['react', ['react', 'reactive']],
  ['react ', ['react']],
  ['-react', except('react')],
  ['strin* ', ['left-pad', 'right-pad', 'string-utils']],
  ['"string pad', ['left-pad', 'right-pad']],
  // An unquoted hyphenated word matches its parts anywhere, like separate words; quoted, it is a phrase.
  ['http-client ', ['http-client', 'legacy-http']],
  ['client-http ', ['http-client', 'legacy-http']],
  ['"client-http" ', []],
  ['"http-client" ', ['http-client']],
  ['left-pad ', ['left-pad']],
  ['-left-pad pad ', ['right-pad']],
  ['name:http-ser', ['http-server']],
  ['json_parse ', ['json-parse']],
  // Diacritics are ignored either way, unicode words match.
  ['cafe creme ', ['cafe']],
  ['café brulee ', ['cafe']],
  ['author:jose muller ', ['cafe']],
  ['日本語 ', ['nihongo']],
  // Hostile input matches as plain words or is no query at all.
  ['NEAR ', ['near-cache']],
  ['NEAR(a b) ', []],
  ["'; DROP TABLE packages; -- ", []],
  ["'; DROP TABLE -- ", ['sql-builder']],
  ['"don\'t" ', ['sql-builder']],
  ['sha256: argon2^ ', ['crypto']],
  ['OR NOT - ', ALL_NAMES],
  ['* ^ : ( ) " ', ALL_NAMES],
  ['😀 ', ALL_NAMES],
  ['"unbalanced ', []],
  ['((http) server ', ['http-server']],
  ['{name}:http ', []],
];

describe('SQLite FTS5 search', () => {
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => {
      assert.deepEqual(search(input), [...expected].sort());
    });
  }

  test('ranks an exact name above a description mention', () => {
    const compiled = toFts5Match(parseSearchQuery('fetch '));
    assert.ok(compiled?.match);
    const rows = db
      .prepare(
        `SELECT p.name FROM package_fts JOIN packages p ON p.id = package_fts.rowid
         WHERE package_fts MATCH ? ORDER BY bm25(package_fts, 10.0, 5.0, 1.0, 2.0)`,
      )
      .all(compiled.match) as Array<{ name: string }>;
    assert.deepEqual(
      rows.map((row) => row.name),
      ['fetch', 'http-client'],
    );
  });

  test('doubles inner quotes, so even a hand-built term with FTS5 syntax stays one string', () => {
    assert.equal(fts5String('say "hi"'), '"say ""hi"""');
    const query: SearchQuery = { kind: 'term', text: 'http" OR "yaml', raw: '', phrase: true, prefix: false };
    assert.deepEqual(toFts5Match(query), { match: '"http"" OR ""yaml"', exclude: null });
    assert.deepEqual(runQuery(query), []);
  });

  test('compiles to quoted strings, column filters and binary NOT', () => {
    assert.equal(toFts5Match(null), null);
    assert.deepEqual(toFts5Match(parseSearchQuery('a -b -c')), { match: '"a" NOT ("b" OR "c")', exclude: null });
    assert.deepEqual(toFts5Match(parseSearchQuery('-a -b')), { match: null, exclude: '"a" OR "b"' });
    assert.deepEqual(toFts5Match(parseSearchQuery('json OR -yaml')), { match: null, exclude: '"yaml" NOT "json"' });
    assert.deepEqual(toFts5Match(parseSearchQuery('name:http-cl')), {
      match: 'name:"http cl"* OR (name:"http" AND name:"cl"*)',
      exclude: null,
    });
    assert.deepEqual(toFts5Match(parseSearchQuery('lib-xyz -old ')), {
      match: '("lib xyz" OR ("lib" AND "xyz")) NOT "old"',
      exclude: null,
    });
    assert.deepEqual(toFts5Match(parseSearchQuery('keyword:"http cl')), { match: 'keywords:"http cl"*', exclude: null });
    assert.deepEqual(toFts5Match(parseSearchQuery('name:(a OR b) c ')), {
      match: '(name:"a" OR name:"b") AND "c"',
      exclude: null,
    });
  });
});

// A reference implementation of the query semantics in plain code, to check the FTS5 compilation
// (De Morgan rewrites included) against on random queries.
const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase();
const tokenize = (text: string): string[] => fold(text).match(/[\p{L}\p{N}\p{Co}]+/gu) ?? [];
const COLUMN_INDEX = { name: 0, keyword: 1, author: 3 } as const;
const ROW_TOKENS = PACKAGES.map((row) => row.map(tokenize));

function termMatches(term: TermNode, row: string[][]): boolean {
  const wanted = tokenize(term.text);
  const columns = term.field ? [row[COLUMN_INDEX[term.field]]!] : row;
  if (!term.phrase && wanted.length > 1) {
    // Each part anywhere, the last one a prefix when the term is.
    return wanted.every((token, i) =>
      columns.some((tokens) =>
        tokens.some((actual) => (term.prefix && i === wanted.length - 1 ? actual.startsWith(token) : actual === token)),
      ),
    );
  }
  return columns.some((tokens) =>
    tokens.some((_, start) =>
      wanted.every((token, i) => {
        const actual = tokens[start + i];
        if (actual === undefined) return false;
        return term.prefix && i === wanted.length - 1 ? actual.startsWith(token) : actual === token;
      }),
    ),
  );
}

function evaluate(node: SearchNode, row: string[][]): boolean {
  switch (node.kind) {
    case 'term':
      return termMatches(node, row);
    case 'not':
      return !evaluate(node.child, row);
    case 'and':
      return node.children.every((child) => evaluate(child, row));
    case 'or':
      return node.children.some((child) => evaluate(child, row));
  }
}

const expectedNames = (query: SearchQuery): string[] =>
  PACKAGES.filter((_, i) => !query || evaluate(query, ROW_TOKENS[i]!))
    .map((row) => row[0])
    .sort();

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
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
  'NEAR',
  'NEAR(',
  '-',
  '--',
  '"',
  '""',
  '(',
  ')',
  '*',
  '^',
  ':',
  '+',
  '{',
  '}',
  ',',
  ';',
  "'",
  '\\',
  '%',
  '_',
  '.',
  '/',
  '@',
  '#',
  '|',
  '&',
  '!',
  '<->',
  ':*',
  ' ',
  ' ',
  ' ',
  '\t',
  '\n',
  '\u0000',
  ' OR ',
  ' OR -',
  ' -',
  ' NOT ',
  ' (',
  ') ',
  'name:',
  'keyword:',
  'author:',
  'keywords:',
  'rowid:',
  'constructor:',
  '__proto__:',
  'toString:',
  "'; DROP TABLE packages; --",
  'SELECT',
  'fts5',
  'http',
  'client',
  'cl',
  'pad',
  'json',
  'jane',
  'doe',
  'test',
  're',
  'a',
  'x',
  'é',
  'e\u0301',
  '\u0301',
  'ß',
  '日本語',
  '😀',
  '🎉\u200d',
  '\u{1F1FA}\u{1F1F8}',
  '\uD800',
  '\uFEFF',
  'ﬁ',
  'İ',
  '\u202E',
];

test('2,000 random nasty queries never raise an SQLite error and match the reference semantics', () => {
  const next = random(20_251_124);
  const allowed = new Set(['search_query_too_long', 'search_query_too_complex']);
  const outcomes = { searched: 0, noQuery: 0, refused: 0 };
  for (let i = 0; i < 2_000; i++) {
    // Mostly short queries, some long enough to hit the length limit.
    const pieces = next() < 0.05 ? 200 + Math.floor(next() * 300) : Math.floor(next() * 24);
    let input = '';
    for (let p = 0; p < pieces; p++) input += NASTY[Math.floor(next() * NASTY.length)];
    let query: SearchQuery;
    try {
      query = parseSearchQuery(input);
    } catch (error) {
      assert.ok(error instanceof RegistryError && allowed.has(error.code), `${JSON.stringify(input)}: ${error}`);
      outcomes.refused++;
      continue;
    }
    if (query) outcomes.searched++;
    else outcomes.noQuery++;
    let actual: string[];
    try {
      actual = runQuery(query);
    } catch (error) {
      assert.fail(`${JSON.stringify(input)} → ${JSON.stringify(toFts5Match(query))}: ${error}`);
    }
    assert.deepEqual(actual, expectedNames(query), JSON.stringify(input));
  }
  // The generator must exercise every path, or this test proves little.
  assert.ok(outcomes.searched > 1_000, JSON.stringify(outcomes));
  assert.ok(outcomes.noQuery > 20, JSON.stringify(outcomes));
  assert.ok(outcomes.refused > 50, JSON.stringify(outcomes));
});
