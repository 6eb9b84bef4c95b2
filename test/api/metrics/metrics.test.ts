/** GET /metrics: the token, every family after the request that feeds it, route labels as templates. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { parseScrape, scrape } from '../../helpers/prometheus.ts';
import { testBackend } from '../../helpers/backends.ts';

const TOKEN = randomBytes(24).toString('base64url');
let r: TestRegistry;
let metricsUrl: string;

before(async () => {
  r = await startRegistry({ REGISTRY_METRICS_TOKEN: TOKEN });
  metricsUrl = `${r.url}/metrics`;
});
after(() => r.close());

describe('GET /metrics: the token', () => {
  test('without the token: 401 problem+json with WWW-Authenticate, a request id and no metrics', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, TOKEN]) {
      const res = await fetch(metricsUrl, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401, String(authorization));
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      const body = await res.json();
      assert.equal(body.code, 'metrics_unauthorized');
      assert.equal(body.instance, `urn:synapse:request:${res.headers.get('x-request-id')}`);
    }
  });

  test('with it: the text format', async () => {
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.ok(parseScrape(await res.text()).families.has('synapse_http_requests_total'));
  });
});

describe('GET /metrics: every family, after the request that feeds it', () => {
  test('requests, publishes (ok and refused by code), downloads, search, logins, tokens, database, storage, buffer, cache, process', async () => {
    const before = await scrape(metricsUrl, TOKEN);
    const { token, username } = await signUp(r.api);
    const name = uniqueName('metered');
    assert.equal((await publish(r.api, token, { name, version: '1.0.0' })).status, 201);
    const again = await publish(r.api, token, { name, version: '1.0.0' });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'version_exists');
    for (let i = 0; i < 2; i++) assert.equal((await fetch(`${r.api}/packages/${name}/1.0.0/tarball`)).status, 200);
    assert.equal((await call(`${r.api}/search?q=metered`)).status, 200);
    assert.equal((await call(`${r.api}/auth/login`, { json: { username, password: 'not-the-password' } })).status, 401);
    assert.equal((await call(`${r.api}/auth/tokens`, { token, json: { name: 'ci', scopes: ['publish'] } })).status, 201);
    await r.registry.deps.downloads.flush();
    const after = await scrape(metricsUrl, TOKEN);
    const grew = (series: string, labels: Record<string, string> = {}) => after.sum(series, labels) - before.sum(series, labels);

    assert.equal(grew('synapse_http_requests_total', { method: 'POST', route: '/api/v1/packages', status_class: '2xx' }), 1);
    assert.equal(grew('synapse_http_requests_total', { method: 'POST', route: '/api/v1/packages', status_class: '4xx' }), 1);
    assert.equal(
      grew('synapse_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/packages/:name/:version/tarball' }),
      2,
    );
    assert.equal(grew('synapse_publishes_total', { outcome: 'ok' }), 1);
    assert.equal(grew('synapse_publishes_total', { outcome: 'refused', code: 'version_exists' }), 1);
    assert.equal(grew('synapse_downloads_total'), 2);
    assert.ok(grew('synapse_download_bytes_total') > 100);
    assert.equal(grew('synapse_search_queries_total'), 1);
    assert.equal(grew('synapse_search_duration_seconds_count'), 1);
    assert.equal(grew('synapse_logins_total', { outcome: 'ok' }), 1);
    assert.equal(grew('synapse_logins_total', { outcome: 'failed' }), 1);
    assert.equal(grew('synapse_tokens_created_total'), 1);
    assert.ok(grew('synapse_db_query_duration_seconds_count') > 10);
    const backend = testBackend() === 'postgres-s3' ? 's3' : 'local';
    for (const op of ['stage', 'commit', 'open']) {
      assert.ok(grew('synapse_storage_operation_duration_seconds_count', { backend, op }) >= 1, op);
    }
    // The first download reads the store, the second the cache.
    assert.equal(grew('synapse_blob_cache_lookups_total', { result: 'miss' }), 1);
    assert.equal(grew('synapse_blob_cache_lookups_total', { result: 'hit' }), 1);
    assert.ok(after.find('synapse_blob_cache_bytes')[0]!.value > 0);
    assert.equal(after.sum('synapse_download_buffer_size'), 0, 'flushed just now');
    assert.equal(after.find('synapse_download_flush_lag_seconds')[0]!.value, 0);
    assert.ok(grew('synapse_download_flushes_total', { outcome: 'ok' }) >= 1);
    if (testBackend() !== 'sqlite') assert.ok(after.find('synapse_db_pool_connections', { state: 'total' })[0]!.value >= 1);
    for (const family of [
      'synapse_jobs_queued',
      'synapse_jobs_oldest_age_seconds',
      'synapse_rate_limit_refusals_total',
      'synapse_db_pool_connections',
    ]) {
      assert.ok(after.families.has(family), family);
    }
    for (const family of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'process_cpu_seconds_total',
    ]) {
      assert.ok(after.families.has(family), family);
    }
  });

  test('route labels are templates: 1,000 package names make one series per status class', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `nobody-${i}-${randomBytes(3).toString('hex')}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map(async (name) => assert.equal((await fetch(`${r.api}/packages/${name}`)).status, 404)));
    }
    await Promise.all(names.slice(0, 20).map(async (name) => (await fetch(`${r.url}/no/such/${name}`)).body?.cancel()));
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await res.text();
    assert.doesNotMatch(text, /nobody-/);
    const after = parseScrape(text);
    const routes = new Set(after.find('synapse_http_requests_total').map((s) => s.labels.route));
    assert.ok(routes.size < 15, `${routes.size} routes: ${[...routes].join(' ')}`);
    assert.ok(after.sum('synapse_http_requests_total', { route: '/api/v1/packages/:name', status_class: '4xx' }) >= 1000);
    assert.ok(after.sum('synapse_http_requests_total', { route: 'unmatched' }) >= 20);
    assert.ok(after.samples.length < 2_000, `${after.samples.length} samples`);
  });

  test('a URL the router refuses counts as unmatched, with its request id', async () => {
    const before = await scrape(metricsUrl, TOKEN);
    const res = await fetch(`${r.api}/packages/%E0%A4%A`);
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.instance, `urn:synapse:request:${res.headers.get('x-request-id')}`);
    const after = await scrape(metricsUrl, TOKEN);
    assert.equal(
      after.sum('synapse_http_requests_total', { route: 'unmatched', status_class: '4xx' }) -
        before.sum('synapse_http_requests_total', { route: 'unmatched', status_class: '4xx' }),
      1,
    );
  });
});

describe('rate-limit refusals by limiter', () => {
  test('the read limit and the per-action limit each count under their name', async () => {
    const limited = await startRegistry({
      REGISTRY_METRICS_TOKEN: TOKEN,
      REGISTRY_RATE_LIMIT_ENABLED: 'true',
      REGISTRY_RATE_LIMIT_READ_PER_MINUTE: '2',
      REGISTRY_LIMIT_NEW_PACKAGES_BURST: '1',
    });
    try {
      for (let i = 0; i < 3; i++) await (await fetch(`${limited.api}/packages/x${i}`)).body?.cancel();
      const { token } = await signUp(limited.api);
      assert.equal((await publish(limited.api, token, { name: uniqueName('first'), version: '1.0.0' })).status, 201);
      const second = await publish(limited.api, token, { name: uniqueName('second'), version: '1.0.0' });
      assert.equal(second.status, 429);
      const after = await scrape(`${limited.url}/metrics`, TOKEN);
      assert.equal(after.sum('synapse_rate_limit_refusals_total', { limiter: 'read' }), 1);
      assert.equal(after.sum('synapse_rate_limit_refusals_total', { limiter: 'new_package' }), 1);
      assert.equal(after.sum('synapse_publishes_total', { outcome: 'refused', code: 'action_rate_limited' }), 1);
    } finally {
      await limited.close();
    }
  });
});

describe('metrics on a port of their own, and off', () => {
  test('REGISTRY_METRICS_PORT serves /metrics there (and only that)', async () => {
    const own = await startRegistry({ REGISTRY_METRICS_PORT: '0' });
    try {
      const url = own.registry.metricsServer!.url;
      assert.ok((await scrape(url)).families.has('synapse_http_requests_total'));
      const other = await fetch(url.replace('/metrics', '/api/v1/health'));
      assert.equal(other.status, 404);
      assert.equal((await other.json()).code, 'route_not_found');
      // Outside production, the main port serves it only when no port of its own is set.
      assert.equal((await fetch(`${own.url}/metrics`)).status, 404);
    } finally {
      await own.close();
    }
  });

  test('REGISTRY_METRICS_ENABLED=false: no /metrics', async () => {
    const off = await startRegistry({ REGISTRY_METRICS_ENABLED: 'false', REGISTRY_METRICS_TOKEN: TOKEN });
    try {
      const res = await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 404);
      assert.ok(res.headers.get('x-request-id'));
    } finally {
      await off.close();
    }
  });
});
