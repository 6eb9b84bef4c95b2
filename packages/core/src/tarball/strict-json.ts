/**
 * A JSON parser that refuses what JSON.parse lets through silently: the same key twice in one
 * object (JSON.parse keeps the last, other readers the first, so two tools would read two
 * different manifests) and nesting past a fixed depth. Input size is the caller's bound; the work
 * here is linear in it.
 *
 * @example
 *   parseStrictJson('{"name":"alpha","name":"evil"}'); // throws StrictJsonError: duplicate key "name"
 */

export class StrictJsonError extends Error {
  /** Offset in the text, in UTF-16 code units, where the problem was found. */
  readonly position: number;

  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'StrictJsonError';
    this.position = position;
  }
}

export interface StrictJsonOptions {
  /** Objects and arrays nested deeper than this are refused. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Everything JSON allows inside a string: unescaped characters from U+0020 and valid escapes.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERALS: [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];

/** Parses `text` as JSON (a leading byte order mark is skipped); throws StrictJsonError. */
export function parseStrictJson(text: string, options: StrictJsonOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string): never => {
    throw new StrictJsonError(message, pos);
  };
  const skipSpace = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      pos += 1;
    }
  };
  const expect = (char: string): void => {
    skipSpace();
    if (text[pos] !== char) fail(`expected "${char}"`);
    pos += 1;
  };
  const readString = (): string => {
    STRING.lastIndex = pos;
    const match = STRING.exec(text);
    if (!match) return fail('invalid string');
    pos += match[0].length;
    return JSON.parse(match[0]) as string;
  };

  // Recursion depth is capped by maxDepth, so the stack cannot be exhausted by input.
  function value(depth: number): unknown {
    skipSpace();
    const c = text[pos];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
      return c === '{' ? object(depth + 1) : array(depth + 1);
    }
    if (c === '"') return readString();
    for (const [word, result] of LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return result;
      }
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) return fail(pos >= text.length ? 'unexpected end of JSON' : `unexpected character ${JSON.stringify(c)}`);
    pos += match[0].length;
    return Number(match[0]);
  }

  function object(depth: number): Record<string, unknown> {
    pos += 1;
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    skipSpace();
    if (text[pos] === '}') {
      pos += 1;
      return result;
    }
    for (;;) {
      skipSpace();
      const at = pos;
      if (text[pos] !== '"') fail('expected a key in double quotes');
      const key = readString();
      if (seen.has(key)) {
        pos = at;
        fail(`duplicate key ${JSON.stringify(key)}`);
      }
      seen.add(key);
      expect(':');
      // defineProperty, as JSON.parse does: a "__proto__" key is data, never the prototype.
      Object.defineProperty(result, key, { value: value(depth), enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[pos] === ',') {
        pos += 1;
        continue;
      }
      expect('}');
      return result;
    }
  }

  function array(depth: number): unknown[] {
    pos += 1;
    const result: unknown[] = [];
    skipSpace();
    if (text[pos] === ']') {
      pos += 1;
      return result;
    }
    for (;;) {
      result.push(value(depth));
      skipSpace();
      if (text[pos] === ',') {
        pos += 1;
        continue;
      }
      expect(']');
      return result;
    }
  }

  const result = value(0);
  skipSpace();
  if (pos < text.length) fail('unexpected data after the JSON value');
  return result;
}
