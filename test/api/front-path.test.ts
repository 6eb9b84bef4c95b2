/**
 * The front path (packages/registry/src/server/front-path.ts) answers kept package and version
 * documents and tarballs held in memory before the framework; a client must not be able to tell. Two registries on one database,
 * one with REGISTRY_FRONT_PATH=false, get the same requests in lockstep: the same status, headers (in
 * order; the date, request id and reset second aside) and bytes, the same rate-limit count, metrics by
 * route and request log lines; a write through either shows on the other's next request; and the
 * front path did answer most of them (documents on SQLite only: PostgreSQL keeps no document rows).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { backendEnv, testBackend, type BackendEnv } from '../helpers/backends.ts';
import { call, publish, signUp, uniqueName } from '../helpers/client.ts';
import { scrape } from '../helpers/prometheus.ts';
import { TEST_SECRET_KEY } from '../helpers/spawn-registry.ts';

const TOKEN = randomBytes(24).toString('base64url');
const READS_A_MINUTE = 120;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const kept = testBackend() === 'sqlite';

interface Answer {
  status: number;
  headers: string[];
  body: string;
  requestId: string;
}

/** One request over a connection kept per registry; the headers as sent, in order. */
function get(agent: http.Agent, url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers, method }, (res) => {
      let body = '';
      // Tarballs too: latin1 keeps every byte as one character.
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.rawHeaders, body, requestId: String(res.headers['x-request-id']) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers with what differs between any two answers (the date, the id, the reset second) blanked. */
function comparable(answer: Answer): string[] {
  const out = [...answer.headers];
  for (let i = 0; i < out.length; i += 2) {
    const name = out[i]!.toLowerCase();
    if (name === 'date') out[i + 1] = '(date)';
    if (name === 'x-request-id') {
      assert.match(out[i + 1]!, UUID);
      out[i + 1] = '(id)';
    }
    if (name === 'ratelimit-reset' || name === 'retry-after') {
      assert.match(out[i + 1]!, /^\d+$/);
      out[i + 1] = '(seconds)';
    }
  }
  return out;
}

describe('kept documents answered ahead of the framework', () => {
  let backend: BackendEnv;
  let blobs = '';
  let front: TestRegistry;
  let routed: TestRegistry;
  const agents = { front: new http.Agent({ keepAlive: true }), routed: new http.Agent({ keepAlive: true }) };
  const logs: Record<'front' | 'routed', Record<string, unknown>[]> = { front: [], routed: [] };
  const ids: Record<'front' | 'routed', string[]> = { front: [], routed: [] };
  let owner: { token: string };
  const name = uniqueName('front');
  const other = uniqueName('front');

  before(async () => {
    backend = await backendEnv();
    blobs = await mkdtemp(join(tmpdir(), 'synapse-front-'));
    const env = {
      REGISTRY_SECRET_KEY: TEST_SECRET_KEY,
      REGISTRY_PUBLIC_URL: 'http://registry.example',
      REGISTRY_LOG_LEVEL: 'info',
      REGISTRY_METRICS_TOKEN: TOKEN,
      REGISTRY_RATE_LIMIT_ENABLED: 'true',
      REGISTRY_RATE_LIMIT_READ_PER_MINUTE: String(READS_A_MINUTE),
      REGISTRY_STORAGE_PATH: join(blobs, 'packages'),
      REGISTRY_S3_STAGING_DIR: join(blobs, 'packages', '.staging'),
      // One database file for both, as two workers share it.
      ...(kept ? { REGISTRY_DB_URL: `sqlite://${join(blobs, 'registry.db')}` } : {}),
    };
    // Counters of their own where they are kept in Redis, so that both count the same reads.
    const prefix = backend.env.REGISTRY_REDIS_PREFIX;
    const start = (which: 'front' | 'routed', extra: Record<string, string>) =>
      startRegistry(
        { ...env, ...(prefix ? { REGISTRY_REDIS_PREFIX: `${prefix}${which}:` } : {}), ...extra },
        { sharedBackend: backend, logStream: { write: (line) => logs[which].push(JSON.parse(line) as Record<string, unknown>) } },
      );
    front = await start('front', {});
    routed = await start('routed', { REGISTRY_FRONT_PATH: 'false' });
    owner = await signUp(front.api);
    for (const version of ['1.0.0', '1.1.0', '2.0.0-beta.1']) {
      assert.equal((await publish(front.api, owner.token, { name, version })).status, 201);
    }
    assert.equal((await publish(front.api, owner.token, { name: other, version: '0.1.0' })).status, 201);
  });
  after(async () => {
    agents.front.destroy();
    agents.routed.destroy();
    await front?.close();
    await routed?.close();
    await backend?.cleanup();
    await rm(blobs, { recursive: true, force: true });
  });

  /** The same request to both, the second time (the first builds and keeps the document); both answers. */
  async function both(path: string, headers: Record<string, string> = {}, method = 'GET') {
    const answers = { front: undefined as Answer | undefined, routed: undefined as Answer | undefined };
    for (let i = 0; i < 2; i++) {
      for (const which of ['front', 'routed'] as const) {
        const registry = which === 'front' ? front : routed;
        const answer = await get(agents[which], `${registry.api}${path}`, headers, method);
        ids[which].push(answer.requestId);
        answers[which] = answer;
      }
    }
    return { front: answers.front!, routed: answers.routed! };
  }

  function assertSame(path: string, a: { front: Answer; routed: Answer }) {
    assert.equal(a.front.status, a.routed.status, `${path}: status`);
    assert.deepEqual(comparable(a.front), comparable(a.routed), `${path}: headers`);
    // A problem's `instance` names its request id.
    const body = (answer: Answer) => answer.body.replaceAll(answer.requestId, '(id)');
    assert.equal(body(a.front), body(a.routed), `${path}: body`);
  }

  test('every answer is the same, byte for byte, whichever path gave it', async () => {
    const paths = [
      `/packages/${name}`,
      `/packages/${other}`,
      `/packages/${name}/1.0.0`,
      `/packages/${name}/2.0.0-beta.1`,
      `/packages/${name}/1.0.0+build.5`,
      `/packages/${name}/v1.0.0`,
      `/packages/${name}/9.9.9`,
      `/packages/${name}/`,
      `/packages/${name}?fields=all`,
      `/packages/${name.replace('-', '%2D')}`,
      `/packages/${name}/versions`,
      `/packages/${name}/owners`,
      '/packages/recent',
      `/packages/${uniqueName('missing')}`,
    ];
    for (const path of paths) assertSame(path, await both(path));
    const tag = (await both(`/packages/${name}`)).front.headers;
    const etag = tag[tag.findIndex((h) => h.toLowerCase() === 'etag') + 1]!;
    const versionEtag = (await both(`/packages/${name}/1.1.0`)).front.headers.find((_, i, h) => h[i - 1]?.toLowerCase() === 'etag')!;
    for (const [path, ifNoneMatch] of [
      [`/packages/${name}`, etag],
      [`/packages/${name}`, etag.replace(/^W\//, '')],
      [`/packages/${name}`, `"elsewhere", ${etag}`],
      [`/packages/${name}`, '*'],
      [`/packages/${name}`, 'W/"stale"'],
      [`/packages/${name}/1.1.0`, versionEtag],
    ] as const) {
      const answers = await both(path, { 'if-none-match': ifNoneMatch });
      assert.equal(answers.front.status, ifNoneMatch === 'W/"stale"' ? 200 : 304, `${path} with If-None-Match: ${ifNoneMatch}`);
      assertSame(`${path} (If-None-Match: ${ifNoneMatch})`, answers);
    }
    assertSame('HEAD', await both(`/packages/${name}`, {}, 'HEAD'));
  });

  test('a tarball, whole, ranged, revalidated or asked with HEAD, is the same from both, and each download counts', async () => {
    const tarball = `/packages/${name}/1.1.0/tarball`;
    let counted = 0;
    for (const [path, headers, method, status] of [
      [tarball, {}, 'GET', 200],
      [`/packages/${name}/1.1.0+build.7/tarball`, {}, 'GET', 200],
      [tarball, { range: 'bytes=0-9' }, 'GET', 206],
      [tarball, { range: 'bytes=10-' }, 'GET', 206],
      [tarball, { range: 'bytes=99999999-' }, 'GET', 416],
      [tarball, {}, 'HEAD', 200],
      [`/packages/${name}/9.9.9/tarball`, {}, 'GET', 404],
      [`/packages/${name}/1.1.0/tarball/`, {}, 'GET', 404],
    ] as const) {
      const answers = await both(path, headers, method);
      assert.equal(answers.front.status, status, `${method} ${path} ${JSON.stringify(headers)}`);
      assertSame(`${method} ${path} ${JSON.stringify(headers)}`, answers);
      // Whole downloads and first ranges count (2 requests to each registry); a resumed range does not.
      if (method === 'GET' && (status === 200 || (status === 206 && headers.range === 'bytes=0-9'))) counted += 4;
    }
    const etag = (await both(tarball)).front.headers.find((_, i, h) => h[i - 1]?.toLowerCase() === 'etag')!;
    counted += 4;
    const revalidated = await both(tarball, { 'if-none-match': etag });
    assert.equal(revalidated.front.status, 304);
    assertSame('tarball If-None-Match', revalidated);

    // Every download recorded, whichever path sent it: the count shows once both have flushed.
    const deadline = Date.now() + 10_000;
    let downloads = -1;
    while (downloads !== counted && Date.now() < deadline) {
      // Asked of both alike, so that their read counts and metrics stay equal.
      // (Not compared: a flush may land between the two answers.)
      const answers = await both(`/packages/${name}/1.1.0`);
      downloads = JSON.parse(answers.routed.body).downloads;
      if (downloads !== counted) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(downloads, counted);
  });

  test('the metrics by route and the request log are the same, and the front path answered', async () => {
    const [a, b] = await Promise.all([scrape(`${front.url}/metrics`, TOKEN), scrape(`${routed.url}/metrics`, TOKEN)]);
    for (const route of ['/api/v1/packages/:name', '/api/v1/packages/:name/:version', '/api/v1/packages/:name/:version/tarball']) {
      for (const status_class of ['2xx', '3xx', '4xx']) {
        const labels = { method: 'GET', route, status_class };
        assert.equal(a.sum('synapse_http_requests_total', labels), b.sum('synapse_http_requests_total', labels), JSON.stringify(labels));
      }
    }
    for (const family of ['synapse_downloads_total', 'synapse_download_bytes_total', 'synapse_blob_cache_lookups_total']) {
      assert.equal(a.sum(family), b.sum(family), family);
    }
    const answered = a.sum('synapse_http_front_path_answers_total');
    assert.equal(b.sum('synapse_http_front_path_answers_total'), 0, 'REGISTRY_FRONT_PATH=false');
    // Each start says whether it is on, or why not.
    const said = (which: 'front' | 'routed') => logs[which].find((line) => line.front_path !== undefined)?.front_path;
    assert.equal(said('routed'), 'REGISTRY_FRONT_PATH=false');
    assert.equal(said('front'), backend.env.REGISTRY_REDIS_URL ? 'rate-limit counters are shared (Redis)' : 'on');
    if (backend.env.REGISTRY_REDIS_URL) {
      assert.equal(answered, 0, 'rate-limit counters in Redis: the front path is off');
    } else if (kept) {
      // Each document asked for twice, the second answer kept: at least the 2 + 2 + 7 second answers.
      assert.ok(answered >= 11, `the front path answered ${answered}`);
    } else {
      // PostgreSQL keeps no document rows (other instances write), but tarball rows (deletes are told).
      assert.ok(answered >= 5, `the front path answered ${answered} tarball requests`);
    }

    const lines = (which: 'front' | 'routed') =>
      logs[which].filter((line) => line.msg === 'request completed' && String(line.url).startsWith('/api/v1/packages/'));
    const shape = (line: Record<string, unknown>) => [line.method, line.route, line.url, line.status];
    assert.deepEqual(lines('front').map(shape), lines('routed').map(shape));
    for (const which of ['front', 'routed'] as const) {
      const logged = lines(which).map((line) => line.request_id);
      assert.deepEqual(logged, ids[which].slice(-logged.length), `${which}: each line names its answer's request id`);
      assert.ok(lines(which).every((line) => typeof line.ms === 'number'));
    }
  });

  test("a write through either registry shows on the other's next request", async () => {
    assert.equal((await publish(front.api, owner.token, { name, version: '1.2.0' })).status, 201);
    const latest = async (r: TestRegistry) => JSON.parse((await get(agents.front, `${r.api}/packages/${name}`)).body).latest;
    assert.equal(await latest(front), '1.2.0');
    assert.equal(await latest(routed), '1.2.0');
    const yanked = await call(`${routed.api}/packages/${name}/1.1.0/yank`, { method: 'PUT', token: owner.token, json: {} });
    assert.equal(yanked.status, 200);
    // A deleted version's tarball, kept and held in memory until then: refused at once by the registry
    // that deleted it, and by the other within its check for other processes' writes (100 ms on SQLite,
    // a notification on PostgreSQL), on either path.
    const beta = `/packages/${name}/2.0.0-beta.1/tarball`;
    assert.equal((await both(beta)).front.status, 200);
    const deleted = await call(`${front.api}/packages/${name}/2.0.0-beta.1`, { method: 'DELETE', token: owner.token });
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    let gone = await both(beta);
    assert.equal(gone.front.status, 404, 'refused at once where it was deleted');
    for (const deadline = Date.now() + 2_000; gone.routed.status !== 404 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gone = await both(beta);
    }
    assertSame(beta, gone);
    // Both asked alike, so that the two read counts stay equal for the next test.
    for (const r of [front, routed]) {
      const version = JSON.parse((await get(agents.front, `${r.api}/packages/${name}/1.1.0`)).body);
      assert.equal(version.yanked, true, 'the kept version document is not served after the yank');
    }
  });

  test('past the read limit both refuse alike, with the same problem', async () => {
    let refused = 0;
    for (let i = 0; i < READS_A_MINUTE * 2 && refused < 3; i++) {
      const answers = await both(`/packages/${other}`);
      if (answers.front.status === 429) refused += 1;
      assert.equal(answers.front.status, answers.routed.status);
      if (answers.front.status !== 429) continue;
      assert.deepEqual(comparable(answers.front), comparable(answers.routed));
      // The seconds to wait may round apart by one between the two registries' windows.
      const problems = [answers.front, answers.routed].map((a) => {
        const problem = JSON.parse(a.body);
        return { ...problem, instance: undefined, detail: problem.detail.replace(/retry in \d+ seconds/, 'retry in (n) seconds') };
      });
      assert.deepEqual(problems[0], problems[1]);
      assert.equal(problems[0].code, 'rate_limited');
    }
    assert.equal(refused, 3, 'refused once the limit was used up');
  });
});
