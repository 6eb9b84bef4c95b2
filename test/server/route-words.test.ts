/** A package may not be named like a segment of a route: GET /packages/recent must stay the list. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routes } from '../../packages/registry/src/server/routes.ts';
import { ROUTE_WORDS } from '../../packages/core/src/names/route-words.ts';
import { staticSegments } from '../../packages/registry/src/server/route-paths.ts';
import { newNameRefusal, parsePackageName, type PackageName } from '../../packages/core/src/names.ts';

test('every static segment of the route table is a reserved route word', () => {
  const segments = staticSegments(routes.map((r) => r.url));
  assert.ok(segments.has('recent') && segments.has('trending'), 'the table was read');
  const missing = [...segments].filter((s) => !ROUTE_WORDS.includes(s));
  assert.deepEqual(missing, [], 'add these to packages/core/src/names/route-words.ts');
});

/** Why a new package may not take this name, or undefined; a name that does not parse is refused too. */
function refusal(name: string): string | undefined {
  const parsed = parsePackageName(name);
  return parsed.ok ? newNameRefusal(parsed.value) : parsed.message;
}

test('route words, and words of routes being added, cannot be new package names', () => {
  for (const word of [...ROUTE_WORDS, 'logout', 'logout-all', 'dist-tags', 'deprecation', 'yank', 'owners', 'audit']) {
    assert.ok(refusal(word), word);
  }
  // Separator variants of a route word are the same canonical name.
  for (const variant of ['dist_tags', 'dist.tags', 'logout_all', 'openapi-json']) assert.ok(refusal(variant), variant);
  assert.equal(refusal('recently'), undefined);
});

test('an existing package named like a route word stays a valid name, e.g. as a dependency', () => {
  assert.equal(parsePackageName('audit').ok, true);
  assert.match(newNameRefusal('audit' as PackageName) ?? '', /reserved/);
});
