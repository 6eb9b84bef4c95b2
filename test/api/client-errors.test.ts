/**
 * Requests Node's HTTP parser refuses before a route or hook sees them (a malformed request line, a
 * header that is not one, headers past the size limit): each answered with problem+json and a stable
 * code like every other error, and the connection closed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type net from 'node:net';
import { rawExchange } from '../helpers/raw-http.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';

let r: TestRegistry;
before(async () => {
  r = await startRegistry();
});
after(() => r?.close());

/** The head and body of what the registry answers `raw` with on a new connection. */
async function exchange(raw: string): Promise<{ head: string; body: string }> {
  const text = await rawExchange((r.registry.app.server.address() as net.AddressInfo).port, raw);
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { head, body };
}

for (const [what, raw, status, code] of [
  ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400, 'malformed_request'],
  ['a header line without a colon', 'GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n', 400, 'malformed_request'],
  ['headers of 20 KiB', `GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
] as const) {
  test(`${what}: ${status} problem+json, then the connection closes`, async () => {
    const { head, body } = await exchange(raw);
    assert.match(head, new RegExp(`^HTTP/1\\.1 ${status} `), head);
    assert.match(head, /\r\ncontent-type: application\/problem\+json\r\n/i);
    assert.match(head, /\r\nconnection: close(\r\n|$)/i);
    const problem = JSON.parse(body);
    assert.equal(problem.status, status);
    assert.equal(problem.code, code);
    assert.match(problem.type, new RegExp(`/problems/${code.replace(/_/g, '-')}$`));
    assert.ok(problem.detail.length > 20, problem.detail);
  });
}

test('the server goes on serving after refusing them', async () => {
  const res = await fetch(`${r.api}/health/live`);
  assert.equal(res.status, 200);
});
