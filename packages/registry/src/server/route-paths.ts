/** What the route table's URL patterns say about a concrete path: its static words, its methods. */

/** The static segments of URL patterns such as `/packages/:name/versions` (parameters left out). */
export function staticSegments(urls: readonly string[]): Set<string> {
  return new Set(urls.flatMap((url) => url.split('/').filter((s) => s !== '' && !s.startsWith(':'))));
}

function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return false;
  return want.every((segment, i) => (segment.startsWith(':') ? have[i] !== '' : segment === have[i]));
}

/**
 * The methods that some route answers for this path, so a wrong method can be a 405 with `Allow`
 * rather than a 404. Bounded by the route table: one comparison per route.
 */
export function allowedMethods(routes: readonly { method: string; url: string }[], path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (!matches(route.url, path)) continue;
    methods.add(route.method);
    // Fastify answers HEAD for every GET.
    if (route.method === 'GET') methods.add('HEAD');
  }
  return [...methods].sort();
}
