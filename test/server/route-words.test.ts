/** A package may not be named like a segment of a route: GET /packages/recent must stay the list. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routes } from '../../src/server/routes.ts';
import { ROUTE_WORDS } from '../../src/server/route-words.ts';
import { staticSegments } from '../../src/server/route-paths.ts';
import { parsePackageName } from '../../src/names.ts';

test('every static segment of the route table is a reserved route word', () => {
  const segments = staticSegments(routes.map((r) => r.url));
  assert.ok(segments.has('recent') && segments.has('trending'), 'the table was read');
  const missing = [...segments].filter((s) => !ROUTE_WORDS.includes(s));
  assert.deepEqual(missing, [], 'add these to src/server/route-words.ts');
});

test('route words, and routes being added elsewhere, cannot be package names', () => {
  for (const word of [...ROUTE_WORDS, 'logout', 'logout-all', 'dist-tags', 'deprecation', 'yank', 'owners', 'audit']) {
    const parsed = parsePackageName(word);
    assert.equal(parsed.ok, false, word);
  }
  // Separator variants of a route word are the same canonical name.
  for (const variant of ['dist_tags', 'dist.tags', 'logout_all']) assert.equal(parsePackageName(variant).ok, false, variant);
});
