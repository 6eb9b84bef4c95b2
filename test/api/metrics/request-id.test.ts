/** Request ids: made here or taken from a trusted proxy, on every response, in problem bodies and in every log line. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call, publish, signUp, uniqueName, type Json } from '../../helpers/client.ts';
import { prettyLine } from '../../../packages/registry/src/server/log.ts';
import { splitTimings } from '../../../packages/registry/src/metrics/request-timings.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A registry whose log lines (JSON, level info) are collected. */
async function withLogs(env: Record<string, string>, run: (r: TestRegistry, logs: () => Record<string, Json>[]) => Promise<void>) {
  const lines: string[] = [];
  const r = await startRegistry(
    { REGISTRY_LOG_LEVEL: 'info', REGISTRY_LOG_FORMAT: 'json', ...env },
    { logStream: { write: (l) => lines.push(l) } },
  );
  try {
    await run(r, () =>
      lines
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    );
  } finally {
    await r.close();
  }
}

describe('request ids', () => {
  test('made here when no proxy is trusted: a client cannot choose its id', async () => {
    await withLogs({}, async (r, logs) => {
      const res = await call(`${r.api}/packages/no-such-package`, { headers: { 'x-request-id': 'chosen-by-client' } });
      assert.equal(res.status, 404);
      const id = res.headers.get('x-request-id')!;
      assert.match(id, UUID);
      assert.equal(res.body.instance, `urn:synapse:request:${id}`);
      const line = logs().find((l) => l.msg === 'request completed' && l.request_id === id);
      assert.ok(line, 'a request line with the id');
      assert.equal(line.route, '/api/v1/packages/:name');
      assert.equal(line.status, 404);
      assert.ok(!logs().some((l) => JSON.stringify(l).includes('chosen-by-client')));
    });
  });

  test("a trusted proxy's id is kept: response header, problem body, every log line of the request", async () => {
    await withLogs({ REGISTRY_TRUST_PROXY: 'true' }, async (r, logs) => {
      const id = 'edge-7f3a:9c1d/2';
      const res = await call(`${r.api}/packages/no-such-package`, { headers: { 'x-request-id': id } });
      assert.equal(res.headers.get('x-request-id'), id);
      assert.equal(res.body.instance, `urn:synapse:request:${id}`);
      const ok = await fetch(`${r.api}/health/live`, { headers: { 'x-request-id': 'health-1' } });
      assert.equal(ok.headers.get('x-request-id'), 'health-1');
      const mine = logs().filter((l) => l.request_id === id);
      assert.ok(mine.length >= 1);
      assert.ok(mine.every((l) => l.url === '/api/v1/packages/no-such-package'));
      // Unprintable, spaced or overlong ids are replaced.
      for (const bad of ['has space', 'x'.repeat(129), 'tab\there', 'caf\u00e9']) {
        const replaced = await fetch(`${r.api}/health/live`, { headers: { 'x-request-id': bad } });
        assert.match(replaced.headers.get('x-request-id')!, UUID, JSON.stringify(bad));
      }
    });
  });

  test('an id with characters a URN cannot hold is percent-encoded in instance, kept as is in the header', async () => {
    await withLogs({ REGISTRY_TRUST_PROXY: 'true' }, async (r) => {
      const res = await call(`${r.api}/packages/nope`, { headers: { 'x-request-id': 'a#b%c' } });
      assert.equal(res.headers.get('x-request-id'), 'a#b%c');
      assert.equal(res.body.instance, 'urn:synapse:request:a%23b%25c');
    });
  });

  test('a slow request is logged at warn with database and storage time split out', async () => {
    await withLogs({ REGISTRY_SLOW_REQUEST_MS: '1', REGISTRY_SLOW_REQUEST_SPLIT: 'on' }, async (r, logs) => {
      const { token } = await signUp(r.api);
      const res = await publish(r.api, token, { name: uniqueName('slow'), version: '1.0.0' });
      assert.equal(res.status, 201);
      const id = res.headers.get('x-request-id');
      const slow = logs().find((l) => l.msg === 'slow request' && l.request_id === id);
      assert.ok(slow, 'a slow-request line');
      assert.equal(slow.level, 40);
      assert.equal(slow.route, '/api/v1/packages');
      assert.ok(slow.db_ms > 0, `db_ms ${slow.db_ms}`);
      assert.ok(slow.storage_ms > 0, `storage_ms ${slow.storage_ms}`);
      assert.ok(slow.other_ms >= 0);
      assert.ok(slow.db_ms + slow.storage_ms <= slow.ms + 1);
    });
  });
});

describe('slow requests without the split', () => {
  test('still logged at warn, with the total time only', async () => {
    await withLogs({ REGISTRY_SLOW_REQUEST_MS: '1', REGISTRY_SLOW_REQUEST_SPLIT: 'off' }, async (r, logs) => {
      const { token } = await signUp(r.api);
      const res = await publish(r.api, token, { name: uniqueName('slow'), version: '1.0.0' });
      const slow = logs().find((l) => l.msg === 'slow request' && l.request_id === res.headers.get('x-request-id'));
      assert.ok(slow && slow.ms >= 1);
      assert.equal(slow.db_ms, undefined);
    });
  });

  test('the split is on by default only where AsyncLocalStorage is cheap (Node 24 and later)', () => {
    assert.equal(splitTimings('auto', '20.20.2'), false);
    assert.equal(splitTimings('auto', '22.11.0'), false);
    assert.equal(splitTimings('auto', '24.1.0'), true);
    assert.equal(splitTimings('on', '20.0.0'), true);
    assert.equal(splitTimings('off', '24.0.0'), false);
  });
});

describe('readable log lines', () => {
  test('a request line reads as time, level, method, route, status, duration, id', () => {
    const line = prettyLine(
      JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
        pid: 1,
        hostname: 'h',
        request_id: 'abc',
        method: 'GET',
        route: '/api/v1/packages/:name',
        url: '/api/v1/packages/x',
        status: 200,
        ms: 3.1,
        msg: 'request completed',
      }),
    );
    assert.equal(line, '03:04:05.678 INFO  GET /api/v1/packages/:name 200 3.1 ms [abc]\n');
  });

  test('other lines keep their message and fields; control characters and stacks are made safe', () => {
    const line = prettyLine(
      JSON.stringify({ level: 50, time: 0, msg: 'boom\u001b[31m', detail: 1, err: { stack: 'Error: x\n    at f (a.ts:1)' } }),
    );
    assert.equal(line, '00:00:00.000 ERROR boom?[31m {"detail":1}\n    Error: x\n    at f (a.ts:1)\n');
    assert.equal(prettyLine('not json'), 'not json');
  });
});
