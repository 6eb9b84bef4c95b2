/**
 * The admin dashboard over HTTP: GET /api/v1/admin/dashboard and the /admin/dashboard page, who may
 * see them, what a range may be, and that the numbers are those of the traffic sent, once the
 * instance's report timer has fired. Also: a GET writes nothing, and the timer prunes old rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RepeatTimer } from '../../../packages/registry/src/db/popularity-refresher.ts';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName } from '../../helpers/client.ts';
import { apiToken, assertProblem, signUpAdmin, type User } from './admin-helpers.ts';

const INSTANCE = 'dash-test-instance';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A timer the test fires by hand; `fire()` resolves once the report it started is written. */
function manualTimer(r: () => TestRegistry) {
  let run: (() => void) | undefined;
  const timer: RepeatTimer = (tick) => {
    run = tick;
    return () => (run = undefined);
  };
  return {
    timer,
    async fire() {
      assert.ok(run, 'the reporter started its timer');
      run();
      // Reports run one after another: this one waits for the tick's, then adds nothing new.
      await r().registry.fleet.report();
    },
  };
}

let r: TestRegistry;
let admin: User;
let alice: User;
let offset = 0;
const clock = manualTimer(() => r);
const pkg = uniqueName('dash-pkg');
let tarballBytes = 0;

const dashboard = (query = '', token = admin.token) => call(`${r.api}/admin/dashboard${query}`, { token });
const page = (query = '', session?: string) =>
  fetch(`${r.url}/admin/dashboard${query}`, { redirect: 'manual', headers: session ? { cookie: `synapse_session=${session}` } : {} });
const fleetRows = async () => {
  const db = r.registry.deps.db.kysely;
  return Promise.all([
    db.selectFrom('fleet_instances').selectAll().orderBy('instance_id').execute(),
    db.selectFrom('fleet_activity').selectAll().orderBy('span').orderBy('bucket').execute(),
    db.selectFrom('fleet_route_counts').selectAll().orderBy('span').orderBy('bucket').orderBy('method').orderBy('route').execute(),
  ]);
};

before(async () => {
  r = await startRegistry({ REGISTRY_INSTANCE_ID: INSTANCE }, { now: () => new Date(Date.now() + offset), fleetTimer: clock.timer });
  admin = await signUpAdmin(r);
  alice = await signUp(r.api);
});
after(() => r.close());

describe('who may see the dashboard', () => {
  test('the API: a session of an admin only; anyone else is refused, and a range is hour, day or month', async () => {
    const token = await apiToken(r, admin.token, ['publish']);
    assertProblem(await dashboard('', ''), 401, 'unauthorized');
    assertProblem(await dashboard('', alice.token), 403, 'admin_required', /npm run admin -- grant NAME/);
    assertProblem(await dashboard('', token), 403, 'session_required');
    assertProblem(await dashboard('?range=week'), 400, 'invalid_query_parameter', /range must be one of hour, day, month \(got "week"\)/);
    assertProblem(await dashboard('?range=hour&range=day'), 400, 'invalid_query_parameter', /range must be one of/);
    for (const range of ['hour', 'day', 'month']) assert.equal((await dashboard(`?range=${range}`)).status, 200, range);
    assert.equal((await dashboard()).body.range, 'day', 'day by default');
  });

  test('the page: anonymous visitors are sent to log in and back; other users get a 403 page; a bad range a 400 page', async () => {
    const anonymous = await page('?range=hour');
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('location'), '/login?next=%2Fadmin%2Fdashboard%3Frange%3Dhour');
    const other = await page('', alice.token);
    assert.equal(other.status, 403);
    const otherHtml = await other.text();
    assert.match(otherHtml, /<h1>Not allowed<\/h1>/);
    assert.match(otherHtml, /The dashboard is for the registry&#39;s admins/);
    assert.doesNotMatch(otherHtml, /href="\/admin\/dashboard"/, 'no dashboard link for a user who is not an admin');
    const bad = await page('?range=year', admin.token);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /range must be one of hour, day, month/);
    const ok = await page('', admin.token);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('cache-control'), 'private, no-store');
    assert.match(await ok.text(), /<a href="\/admin\/dashboard">Dashboard<\/a>/, "the admin's header links to it");
  });
});

describe('the numbers', () => {
  const misses = 7;
  const downloads = 5;

  before(async () => {
    assert.equal((await publish(r.api, alice.token, { name: pkg, version: '1.0.0' })).status, 201);
    assert.equal((await publish(r.api, alice.token, { name: pkg, version: '1.1.0' })).status, 201);
    assert.equal((await publish(r.api, alice.token, { name: pkg, version: '1.1.0' })).status, 409, 'a refused publish');
    for (let i = 0; i < misses; i++) assert.equal((await call(`${r.api}/packages/${uniqueName('absent')}`)).status, 404);
    for (let i = 0; i < downloads; i++) {
      const res = await fetch(`${r.api}/packages/${pkg}/1.1.0/tarball`);
      assert.equal(res.status, 200);
      tarballBytes += (await res.arrayBuffer()).byteLength;
    }
    await r.registry.deps.downloads.flush();
    await clock.fire();
  });

  test('the API shows what was sent: publishes, refusals, downloads, bytes, 404s, per interval and per route', async () => {
    const res = await dashboard('?range=hour');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const d = res.body;
    assert.equal(d.interval, 'minute');
    assert.equal(d.series.length, 60);
    assert.deepEqual(
      [d.totals.publishes_ok, d.totals.publishes_refused, d.totals.downloads, d.totals.download_bytes],
      [2, 1, downloads, tarballBytes],
      'publishes ok and refused, downloads and bytes',
    );
    const sum = (key: 'publishes' | 'downloads') => d.series.reduce((a: number, s: Record<string, number>) => a + s[key]!, 0);
    assert.deepEqual([sum('publishes'), sum('downloads')], [2, downloads], 'the bars add up to the totals');
    const route = (method: string, template: string) =>
      d.routes.find((x: { method: string; route: string }) => x.method === method && x.route === template);
    const metadata = route('GET', '/api/v1/packages/:name');
    assert.deepEqual([metadata.requests, metadata.client_errors, metadata.server_errors, metadata.error_rate], [misses, misses, 0, 0]);
    assert.ok(metadata.p50_ms > 0 && metadata.p50_ms <= metadata.p99_ms, `p50 ${metadata.p50_ms} ≤ p99 ${metadata.p99_ms}`);
    assert.equal(route('GET', '/api/v1/packages/:name/:version/tarball').requests, downloads);
    const publishes = route('POST', '/api/v1/packages');
    assert.deepEqual([publishes.requests, publishes.client_errors], [3, 1], 'three publishes, one 409');
    const allRoutes = d.routes.reduce((a: number, x: { requests: number }) => a + x.requests, 0);
    assert.equal(d.totals.requests, allRoutes, 'the total is every route (fewer than 50 here)');
    assert.deepEqual(d.top_packages.packages[0], { name: pkg, downloads });
    assert.deepEqual(d.health, {
      status: 'ok',
      checks: { database: 'ok', storage: 'ok' },
      database: r.registry.deps.db.dialect,
      storage: r.registry.deps.store.kind,
    });
    assert.deepEqual(
      d.instances.map((i: { id: string; version: string }) => [i.id, i.version]),
      [[INSTANCE, '0.1.0']],
    );
  });

  test('the day and the 30 days hold the same totals, in hours and days', async () => {
    const hour = (await dashboard('?range=hour')).body.totals;
    const day = (await dashboard('?range=day')).body;
    const month = (await dashboard('?range=month')).body;
    assert.deepEqual([day.interval, day.series.length, month.interval, month.series.length], ['hour', 24, 'day', 30]);
    for (const [name, t] of [
      ['day', day.totals],
      ['month', month.totals],
    ]) {
      assert.deepEqual(
        [t.publishes_ok, t.publishes_refused, t.downloads, t.download_bytes, t.client_errors],
        [hour.publishes_ok, hour.publishes_refused, hour.downloads, hour.download_bytes, hour.client_errors],
        name,
      );
    }
  });

  test('the page shows the same numbers, charts without script, and the instance', async () => {
    const res = await page('?range=hour', admin.token);
    assert.equal(res.status, 200);
    const html = await res.text();
    const api = (await dashboard('?range=hour')).body;
    const bold = (id: string) => new RegExp(`<b id="${id}">([^<]*)</b>`).exec(html)?.[1];
    assert.equal(bold('total-publishes'), '2');
    assert.equal(bold('total-downloads'), String(downloads));
    assert.equal(bold('total-requests'), api.totals.requests.toLocaleString('en'));
    assert.match(html, /<span aria-current="page">Last hour<\/span>/);
    assert.match(html, /<a href="\/admin\/dashboard\?range=month">Last 30 days<\/a>/);
    assert.match(html, /<title id="chart-downloads-t">Downloads per minute, last 60 minutes<\/title>/);
    assert.match(html, new RegExp(`<desc id="chart-downloads-d">${downloads} downloads from`));
    assert.match(
      html,
      new RegExp(`<tr><td>GET</td><td><code>/api/v1/packages/:name</code></td><td>${misses}</td><td>${misses}</td><td>0</td>`),
    );
    assert.match(html, new RegExp(`<a href="/packages/${pkg}">${pkg}</a> <span class="meta">${downloads}</span>`));
    assert.match(html, /<dt>Database \((sqlite|postgres)\)<\/dt><dd>ok<\/dd>/);
    assert.match(html, new RegExp(`<h2 id="inst-h">Instances reporting \\(1\\)</h2>[\\s\\S]*<code>${INSTANCE}</code></td><td>0.1.0</td>`));
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  });

  test('a GET writes nothing: the fleet tables change only when the timer reports', async () => {
    const requestsOf = async (route: string) =>
      (await dashboard('?range=hour')).body.routes.find((x: { route: string }) => x.route === route)?.requests ?? 0;
    await clock.fire();
    const rows = await fleetRows();
    const [api, pages] = [await requestsOf('/api/v1/admin/dashboard'), await requestsOf('/admin/dashboard')];
    for (const range of ['hour', 'day', 'month']) {
      assert.equal((await dashboard(`?range=${range}`)).status, 200);
      assert.equal((await page(`?range=${range}`, admin.token)).status, 200);
    }
    assert.deepEqual(await fleetRows(), rows);
    await clock.fire();
    assert.equal(
      await requestsOf('/api/v1/admin/dashboard'),
      api + 2 + 3,
      'the two reads of the counts and the three of the loop, once reported',
    );
    assert.equal(await requestsOf('/admin/dashboard'), pages + 3);
  });
});

describe('the report timer', () => {
  test('an instance silent for over a minute is no longer listed; rows past their retention are pruned', async () => {
    const db = r.registry.deps.db.kysely;
    const longAgo = new Date(Date.now() + offset - 2 * MINUTE).toISOString();
    await db
      .insertInto('fleet_instances')
      .values({ instance_id: 'gone', version: '0.0.9', started_at: longAgo, last_seen: longAgo })
      .execute();
    assert.deepEqual(
      (await dashboard('?range=hour')).body.instances.map((i: { id: string }) => i.id),
      [INSTANCE],
    );

    const spans = async () =>
      (await db.selectFrom('fleet_route_counts').select('span').distinct().orderBy('span').execute()).map((x) => x.span);
    assert.deepEqual(await spans(), ['day', 'hour', 'minute']);
    offset += DAY + 2 * MINUTE;
    await clock.fire();
    const oldMinutes = await db.selectFrom('fleet_route_counts').select('bucket').where('span', '=', 'minute').execute();
    assert.ok(
      oldMinutes.every((x) => x.bucket >= new Date(Date.now() + offset - DAY).toISOString().slice(0, 16)),
      'minute rows older than a day are gone',
    );
    assert.deepEqual(await spans(), ['day', 'hour', 'minute'], 'hour rows stay two days, day rows a month');

    offset += 40 * DAY;
    await clock.fire();
    const [instances, activity, routes] = await fleetRows();
    assert.deepEqual(
      instances.map((i) => i.instance_id),
      [INSTANCE],
      'the silent instance is pruned; this one reported just now',
    );
    assert.deepEqual([activity.length, routes.length], [0, 0], 'nothing was counted since the jump; everything older is gone');
  });
});
