/**
 * Three registry instances on one PostgreSQL database, one S3 bucket and one Redis: each is sent its
 * own known traffic, their report timers fire (by hand: no sleeping), and the admin dashboard served
 * by any one of them shows all three instances and fleet-wide totals equal to the sum of what was
 * sent; its p50/p99 are those of the three instances' Prometheus histograms added together.
 * The instances run in this process (their timers and clock injected); each has its own app,
 * database pool, Redis client, metrics and instance id.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RepeatTimer } from '../../packages/registry/src/db/popularity-refresher.ts';
import { setAdmin } from '../../packages/registry/src/registry/admins.ts';
import { quantile } from '../../packages/registry/src/metrics/latency-quantile.ts';
import { LATENCY_BUCKETS } from '../../packages/registry/src/metrics/families.ts';
import { backendEnv, type BackendEnv } from '../helpers/backends.ts';
import { call, publish, signUp, uniqueName, type Json } from '../helpers/client.ts';
import { scrape } from '../helpers/prometheus.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { skipWithoutBackends } from '../helpers/require-backends.ts';
import { TEST_SECRET_KEY } from '../helpers/spawn-registry.ts';

const skip = await skipWithoutBackends();

/** What each instance is sent: versions published (plus one refused), 404s, tarball downloads. */
const SENT = [
  { versions: 1, misses: 3, downloads: 4 },
  { versions: 2, misses: 5, downloads: 6 },
  { versions: 3, misses: 8, downloads: 9 },
];
const total = (key: 'versions' | 'misses' | 'downloads') => SENT.reduce((a, s) => a + s[key], 0);
const TARBALL_ROUTE = '/api/v1/packages/:name/:version/tarball';

/** A report timer fired by hand; `fire()` resolves once its report is written. */
function manualTimer() {
  let run: (() => void) | undefined;
  const timer: RepeatTimer = (tick) => {
    run = tick;
    return () => (run = undefined);
  };
  return { timer, fire: () => run?.() };
}

describe('the dashboard of three instances on one PostgreSQL + S3 + Redis', { skip }, () => {
  let backend: BackendEnv;
  const timers = SENT.map(() => manualTimer());
  let instances: TestRegistry[] = [];
  let admin: { username: string; token: string };
  const names = SENT.map(() => uniqueName('fleet-pkg'));
  const bytesSent = [0, 0, 0];
  let offset = 0;
  const now = () => new Date(Date.now() + offset);

  before(async () => {
    backend = await backendEnv('postgres-s3');
    const env = (i: number) => ({
      REGISTRY_INSTANCE_ID: `fleet-${i}`,
      REGISTRY_SECRET_KEY: TEST_SECRET_KEY,
      REGISTRY_RATE_LIMIT_ENABLED: 'false',
    });
    instances = await Promise.all(SENT.map((_, i) => startRegistry(env(i), { sharedBackend: backend, now, fleetTimer: timers[i]!.timer })));
    admin = await signUp(instances[0]!.api);
    await setAdmin(instances[0]!.registry.deps.db.kysely, { username: admin.username, admin: true, now: now().toISOString() });
    await Promise.all(instances.map((r, i) => sendTraffic(r, i)));
    // Counts reach the database on each instance's flush; the reports on each one's timer.
    await Promise.all(instances.map((r) => r.registry.deps.downloads.flush()));
    for (const [i, r] of instances.entries()) {
      timers[i]!.fire();
      await r.registry.fleet.report();
    }
  });

  after(async () => {
    for (const r of instances) await r.close();
    await backend?.cleanup();
  });

  async function sendTraffic(r: TestRegistry, i: number) {
    const sent = SENT[i]!;
    const user = await signUp(r.api);
    for (let v = 0; v < sent.versions; v++)
      assert.equal((await publish(r.api, user.token, { name: names[i], version: `1.0.${v}` })).status, 201);
    assert.equal((await publish(r.api, user.token, { name: names[i], version: '1.0.0' })).status, 409, 'a refused publish');
    for (let m = 0; m < sent.misses; m++) assert.equal((await call(`${r.api}/packages/${uniqueName('absent')}`)).status, 404);
    for (let d = 0; d < sent.downloads; d++) {
      const res = await fetch(`${r.api}/packages/${names[i]}/1.0.0/tarball`);
      assert.equal(res.status, 200);
      bytesSent[i]! += (await res.arrayBuffer()).byteLength;
    }
  }

  const dashboardOf = (r: TestRegistry, range = 'hour') => call(`${r.api}/admin/dashboard?range=${range}`, { token: admin.token });
  const routeOf = (body: Json, method: string, route: string) => body.routes.find((x: Json) => x.method === method && x.route === route);

  test('served by any instance: all three instances, and totals that are the sum of what each was sent', async () => {
    for (const r of instances) {
      const res = await dashboardOf(r);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const d = res.body;
      assert.deepEqual(
        d.instances.map((x: { id: string }) => x.id),
        ['fleet-0', 'fleet-1', 'fleet-2'],
      );
      assert.deepEqual(
        [d.totals.publishes_ok, d.totals.publishes_refused, d.totals.downloads, d.totals.download_bytes],
        [total('versions'), SENT.length, total('downloads'), bytesSent.reduce((a, b) => a + b, 0)],
        'publishes ok and refused, downloads, bytes',
      );
      const misses = routeOf(d, 'GET', '/api/v1/packages/:name');
      assert.deepEqual([misses.requests, misses.client_errors, misses.server_errors], [total('misses'), total('misses'), 0]);
      assert.equal(routeOf(d, 'GET', TARBALL_ROUTE).requests, total('downloads'));
      const publishes = routeOf(d, 'POST', '/api/v1/packages');
      assert.deepEqual([publishes.requests, publishes.client_errors], [total('versions') + SENT.length, SENT.length]);
      assert.equal(routeOf(d, 'POST', '/api/v1/auth/register').requests, 1 + SENT.length, "the admin's account and one per instance");
      const series = (key: string) => d.series.reduce((a: number, s: Record<string, number>) => a + s[key]!, 0);
      assert.deepEqual([series('publishes'), series('downloads')], [total('versions'), total('downloads')]);
      assert.deepEqual(
        d.top_packages.packages.map((p: { name: string; downloads: number }) => [p.name, p.downloads]),
        [2, 1, 0].map((i) => [names[i], SENT[i]!.downloads]),
      );
      assert.deepEqual([d.health.status, d.health.database, d.health.storage], ['ok', 'postgres', 's3']);
    }
  });

  test("the fleet's p50 and p99 are those of the three Prometheus histograms added together", async () => {
    const slots = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
    for (const r of instances) {
      const buckets = (await scrape(`${r.url}/metrics`)).find('synapse_http_request_duration_seconds_bucket', {
        method: 'GET',
        route: TARBALL_ROUTE,
      });
      // Cumulative `le` buckets, in bound order then +Inf, back into slots.
      const cumulative = [
        ...LATENCY_BUCKETS.map((le) => buckets.find((b) => Number(b.labels.le) === le)!.value),
        buckets.find((b) => b.labels.le === '+Inf')!.value,
      ];
      cumulative.forEach((n, i) => (slots[i]! += n - (i === 0 ? 0 : cumulative[i - 1]!)));
    }
    assert.equal(
      slots.reduce((a, b) => a + b, 0),
      total('downloads'),
      'the histograms hold every download',
    );
    const round = (s: number | null) => Math.round(s! * 10_000) / 10;
    const tarball = routeOf((await dashboardOf(instances[1]!)).body, 'GET', TARBALL_ROUTE);
    assert.deepEqual([tarball.p50_ms, tarball.p99_ms], [round(quantile(slots, 0.5)), round(quantile(slots, 0.99))]);
  });

  test('the day and 30-day ranges hold the same totals; the page shows the three instances and the totals', async () => {
    const hour = (await dashboardOf(instances[2]!)).body.totals;
    for (const range of ['day', 'month']) {
      const t = (await dashboardOf(instances[2]!, range)).body.totals;
      assert.deepEqual([t.publishes_ok, t.downloads, t.download_bytes], [hour.publishes_ok, hour.downloads, hour.download_bytes], range);
    }
    const res = await fetch(`${instances[1]!.url}/admin/dashboard?range=hour`, { headers: { cookie: `synapse_session=${admin.token}` } });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h2 id="inst-h">Instances reporting \(3\)<\/h2>/);
    for (const id of ['fleet-0', 'fleet-1', 'fleet-2']) assert.match(html, new RegExp(`<td><code>${id}</code></td><td>0\\.1\\.0</td>`), id);
    assert.match(html, new RegExp(`<b id="total-publishes">${total('versions')}</b>`));
    assert.match(html, new RegExp(`<b id="total-downloads">${total('downloads')}</b>`));
  });

  test('an instance that stops reporting leaves the list a minute later; its counts stay in the totals', async () => {
    const before = (await dashboardOf(instances[0]!)).body.totals;
    offset += 61_000;
    for (const i of [0, 1]) {
      timers[i]!.fire();
      await instances[i]!.registry.fleet.report();
    }
    const d = (await dashboardOf(instances[0]!)).body;
    assert.deepEqual(
      d.instances.map((x: { id: string }) => x.id),
      ['fleet-0', 'fleet-1'],
    );
    assert.deepEqual([d.totals.publishes_ok, d.totals.downloads], [before.publishes_ok, before.downloads]);
  });
});
