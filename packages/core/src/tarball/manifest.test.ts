import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RegistryError } from '../errors.ts';
import { parseManifest } from './manifest.ts';

const BASE = { name: 'hello', version: '1.0.0' };

/** The field errors parseManifest throws for the base manifest with `extra` merged in. */
function fieldErrors(extra: Record<string, unknown>): { field: string; message: string }[] {
  try {
    parseManifest({ ...BASE, ...extra });
  } catch (error) {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'validation_failed');
    assert.equal(error.status, 400);
    return error.errors ?? [];
  }
  return assert.fail('expected a validation error');
}

describe('parseManifest', () => {
  test('a minimal manifest gets nulls and empty collections', () => {
    assert.deepEqual(parseManifest(BASE), {
      name: 'hello',
      version: '1.0.0',
      description: null,
      author: null,
      license: null,
      homepage: null,
      repository: null,
      keywords: [],
      dependencies: {},
    });
  });

  test('a full manifest is typed and normalised', () => {
    const manifest = parseManifest({
      ...BASE,
      description: '  Says hello  ',
      author: { name: 'Ada Lovelace', email: 'ada@example.com' },
      license: 'MIT',
      homepage: 'https://hello.example.com',
      repository: 'https://git.example.com/hello',
      keywords: ['Greeting', 'greeting', 'CLI'],
      dependencies: { zeta: '^1.0.0', alpha: '~2.1', 'std.io': '' },
      unknownField: 'ignored',
    });
    assert.equal(manifest.description, 'Says hello');
    assert.equal(manifest.author, 'Ada Lovelace <ada@example.com>');
    assert.deepEqual(manifest.keywords, ['greeting', 'cli']);
    assert.deepEqual(Object.keys(manifest.dependencies), ['alpha', 'std.io', 'zeta']);
    assert.deepEqual(manifest.dependencies, { alpha: '~2.1', 'std.io': '*', zeta: '^1.0.0' });
    assert.equal(parseManifest({ ...BASE, author: { name: 'Ada' } }).author, 'Ada');
    assert.equal(parseManifest({ ...BASE, author: 'Ada <ada@example.com>' }).author, 'Ada <ada@example.com>');
  });

  test('limits are inclusive: 1,000-character description, 20 keywords of 50 characters, 512-character URL', () => {
    const url = `https://example.com/${'a'.repeat(512 - 'https://example.com/'.length)}`;
    const manifest = parseManifest({
      ...BASE,
      description: 'd'.repeat(1000),
      keywords: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, 'k')),
      homepage: url,
    });
    assert.equal(manifest.keywords.length, 20);
    assert.equal(manifest.homepage, url);
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['missing name', { name: undefined }, 'name'],
    ['invalid name', { name: 'Hello World' }, 'name'],
    ['missing version', { version: undefined }, 'version'],
    ['invalid version', { version: 'v1' }, 'version'],
    ['description not a string', { description: 42 }, 'description'],
    ['description over 1,000 characters', { description: 'd'.repeat(1001) }, 'description'],
    ['author of the wrong type', { author: ['Ada'] }, 'author'],
    ['author object without a name', { author: { email: 'ada@example.com' } }, 'author.name'],
    ['author email not a string', { author: { name: 'Ada', email: 7 } }, 'author.email'],
    ['license not a string', { license: { type: 'MIT' } }, 'license'],
    ['homepage not a URL', { homepage: 'hello.example.com' }, 'homepage'],
    ['homepage not http(s)', { homepage: 'javascript:alert(1)' }, 'homepage'],
    ['homepage over 512 characters', { homepage: `https://example.com/${'a'.repeat(500)}` }, 'homepage'],
    ['repository not http(s)', { repository: 'git@example.com:hello.git' }, 'repository'],
    ['keywords not an array', { keywords: 'a,b' }, 'keywords'],
    ['more than 20 keywords', { keywords: Array.from({ length: 21 }, (_, i) => `k${i}`) }, 'keywords'],
    ['empty keyword', { keywords: ['ok', '  '] }, 'keywords[1]'],
    ['keyword over 50 characters', { keywords: ['k'.repeat(51)] }, 'keywords[0]'],
    ['keyword not a string', { keywords: [1] }, 'keywords[0]'],
    ['dependencies not an object', { dependencies: ['foo'] }, 'dependencies'],
    ['dependency with an invalid name', { dependencies: { 'Bad Name': '^1.0.0' } }, 'dependencies.Bad Name'],
    ['dependency with an invalid range', { dependencies: { foo: 'not a range' } }, 'dependencies.foo'],
    ['dependency range not a string', { dependencies: { foo: 1 } }, 'dependencies.foo'],
    ['dependency on itself', { dependencies: { hello: '^1.0.0' } }, 'dependencies.hello'],
    [
      'dependency on itself under another spelling',
      { name: 'hello-world', dependencies: { hello_world: '*' } },
      'dependencies.hello_world',
    ],
    ['same dependency twice under two spellings', { dependencies: { 'foo-bar': '^1', 'foo.bar': '^2' } }, 'dependencies.foo.bar'],
  ];
  for (const [what, extra, field] of cases) {
    test(`${what} is an error on ${field}`, () => {
      const errors = fieldErrors(extra);
      assert.deepEqual(
        errors.map((e) => e.field),
        [field],
      );
      assert.ok(errors[0]!.message.length > 0);
    });
  }

  test('every invalid field is reported at once, and the message summarises them', () => {
    try {
      parseManifest({ name: 'hello', version: 'x', dependencies: { foo: '!!', hello: '^1' }, keywords: [''] });
      assert.fail('expected a validation error');
    } catch (error) {
      assert.ok(error instanceof RegistryError);
      assert.deepEqual(
        error.errors?.map((e) => e.field),
        ['version', 'keywords[0]', 'dependencies.foo', 'dependencies.hello'],
      );
      assert.match(
        error.message,
        /^synapse\.json has 4 invalid fields: version: .*; dependencies\.hello: a package cannot depend on itself$/,
      );
    }
  });

  test('a value that is not an object is a single error', () => {
    for (const json of [null, [], 'hello', 1]) {
      assert.throws(
        () => parseManifest(json),
        (error: unknown) => {
          assert.ok(error instanceof RegistryError);
          assert.equal(error.errors?.length, 1);
          return true;
        },
      );
    }
  });

  test('blank optional strings and nulls mean "not given"', () => {
    const manifest = parseManifest({ ...BASE, description: '   ', license: null, homepage: '', keywords: null });
    assert.equal(manifest.description, null);
    assert.equal(manifest.license, null);
    assert.equal(manifest.homepage, null);
    assert.deepEqual(manifest.keywords, []);
  });
});
