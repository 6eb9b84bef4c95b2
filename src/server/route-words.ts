/**
 * Every static segment of an /api/v1 path, today's and those of routes being added. A package named
 * like one would be shadowed by the route (GET /packages/recent answers the list, not the package),
 * so these words are reserved package names. route-words.test.ts derives the segments from the route
 * table and fails when one is missing here. Plain data with no imports: names.ts (shared with the
 * client) reads it.
 */
export const ROUTE_WORDS: readonly string[] = [
  'api',
  'v1',
  'auth',
  'register',
  'login',
  'logout',
  'logout-all',
  'verify',
  'tokens',
  'packages',
  'versions',
  'tarball',
  'dist-tags',
  'deprecation',
  'yank',
  'owners',
  'invitations',
  'accept',
  'decline',
  'audit',
  'admin',
  'reserved-names',
  'lock',
  'search',
  'suggest',
  'trending',
  'recent',
  'stats',
  'health',
  'live',
  'ready',
  'docs',
  'openapi.json',
];
