/**
 * REGISTRY_WARM_REQUESTS: before it listens, the registry serves GETs of its hottest documents to
 * itself (packages/registry/src/server/warm-requests.ts). What a client or an operator could notice:
 * one log line says so, and those requests show nowhere else: not in the metrics, not in the request
 * log, not against the rate limit of the address they came from (loopback, as a local proxy's are),
 * and its tarballs are no downloads.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { publish, signUp, uniqueName } from '../helpers/client.ts';
import { scrape } from '../helpers/prometheus.ts';

const TOKEN = randomBytes(24).toString('base64url');
const READS_A_MINUTE = 50;
const WARM_REQUESTS = 300;
const names = [uniqueName('warm'), uniqueName('warm')];
const lines: Record<string, unknown>[] = [];
let r: TestRegistry;

before(async () => {
  const first = await startRegistry({}, { keepDir: true });
  const { token } = await signUp(first.api);
  for (const name of names) assert.equal((await publish(first.api, token, { name, version: '1.0.0' })).status, 201);
  await first.close();
  r = await startRegistry(
    {
      REGISTRY_WARM_REQUESTS: String(WARM_REQUESTS),
      // Documents (and so the warm-up's paths) are built before listening only with a public URL.
      REGISTRY_PUBLIC_URL: 'http://registry.example',
      REGISTRY_LOG_LEVEL: 'info',
      REGISTRY_METRICS_TOKEN: TOKEN,
      REGISTRY_RATE_LIMIT_ENABLED: 'true',
      REGISTRY_RATE_LIMIT_READ_PER_MINUTE: String(READS_A_MINUTE),
    },
    { dir: first.dir, logStream: { write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) } },
  );
});
after(() => r?.close());

test('the warm-up is one log line, and its requests are not counted, logged or limited', async () => {
  const warmed = lines.filter((line) => line.msg === 'served warm-up requests to itself');
  assert.equal(warmed.length, 1, JSON.stringify(lines));
  assert.equal(warmed[0]!.requests, WARM_REQUESTS);
  assert.equal(lines.filter((line) => line.msg === 'request completed').length, 0, 'no request lines before the first client');

  const res = await fetch(`${r.api}/packages/${names[0]}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('ratelimit-remaining'), String(READS_A_MINUTE - 1), 'the first client request is the first counted');
  assert.equal(lines.filter((line) => line.msg === 'request completed').length, 1);

  const scraped = await scrape(`${r.url}/metrics`, TOKEN);
  const served = (route: string) => scraped.sum('synapse_http_requests_total', { method: 'GET', route: `/api/v1${route}` });
  assert.equal(served('/packages/:name'), 1, 'only the client request');
  assert.equal(served('/packages/:name/:version'), 0);
  assert.equal(served('/packages/:name/:version/tarball'), 0);
  assert.equal(served('/health/live'), 0, 'nor the routed requests among them');
  // Tarballs were among the warm-up's requests (their bytes are now held), yet none is a download.
  // (Hits or misses: the warm-up's requests may all arrive before the first read of a tarball ends.)
  assert.ok(scraped.sum('synapse_blob_cache_lookups_total') > 0, 'the warm-up fetched tarballs');
  assert.equal(scraped.sum('synapse_downloads_total'), 0);
  await r.registry.deps.downloads.flush();
  const version = await fetch(`${r.api}/packages/${names[0]}/1.0.0`);
  assert.equal(((await version.json()) as { downloads: number }).downloads, 0);
});
