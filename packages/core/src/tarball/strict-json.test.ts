import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseStrictJson, StrictJsonError } from './strict-json.ts';

describe('parseStrictJson', () => {
  test('reads whatever JSON.stringify writes, as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        assert.deepEqual(parseStrictJson(text), JSON.parse(text));
      }),
    );
  });

  test('refuses what JSON.parse refuses', () => {
    for (const text of ['', '{', '{"a":1,}', '[1,]', '01', '1.', '"\\x"', '"\u0001"', 'nul', '{"a" 1}', '1 2', "{'a':1}"]) {
      assert.throws(() => JSON.parse(text));
      assert.throws(() => parseStrictJson(text), StrictJsonError, text);
    }
  });

  test('refuses a key twice in one object, at any depth, however it is escaped', () => {
    for (const text of ['{"a":1,"a":2}', '{"x":[{"b":1,"c":2,"b":3}]}', '{"a":1,"\\u0061":2}']) {
      assert.throws(() => parseStrictJson(text), /duplicate key "(a|b)"/, text);
    }
    assert.deepEqual(parseStrictJson('{"a":{"a":1},"b":{"a":2}}'), { a: { a: 1 }, b: { a: 2 } });
  });

  test('a "__proto__" key is data, never the prototype', () => {
    const value = parseStrictJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__']);
  });

  test('nesting is bounded', () => {
    assert.deepEqual(parseStrictJson('[[[]]]', { maxDepth: 3 }), [[[]]]);
    assert.throws(() => parseStrictJson('[[[[]]]]', { maxDepth: 3 }), /nesting deeper than 3/);
    assert.throws(() => parseStrictJson('['.repeat(100_000)), /nesting deeper than 64/);
  });

  test('a leading byte order mark is skipped', () => {
    assert.deepEqual(parseStrictJson('\ufeff{"a":1}'), { a: 1 });
  });
});
