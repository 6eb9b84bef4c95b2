import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reusePortSupported } from '../config/server.ts';
import { addAcceptListeners } from './accept-listeners.ts';

const skip = reusePortSupported() ? false : `Node ${process.versions.node} on ${process.platform} has no reusePort`;

/** GET / on a connection of its own; resolves with the status and body. */
function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listening(onRequest: (res: ServerResponse) => void) {
  const server = createServer((_req, res) => onRequest(res));
  server.listen({ host: '127.0.0.1', port: 0, reusePort: true } as Parameters<typeof server.listen>[0]);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

test('new connections spread over the sockets, and the one HTTP server answers them all', { skip }, async () => {
  const { server, port } = await listening((res) => res.end('ok'));
  const extra = await addAcceptListeners({ server, extra: 7 });
  try {
    const answers = await Promise.all(Array.from({ length: 64 }, () => get(port)));
    assert.deepEqual(new Set(answers.map((a) => `${a.status} ${a.body}`)), new Set(['200 ok']));
    // The kernel hashes each connection's addresses to a socket: 64 land on more than one of them.
    assert.ok(extra.accepted.filter((n) => n > 0).length >= 2, `extra sockets accepted ${extra.accepted.join(', ')}`);
  } finally {
    extra.stopAccepting();
    server.close();
    server.closeAllConnections();
    await extra.drained();
  }
});

test('drained() waits for requests in flight on the extra sockets after they stop accepting', { skip }, async () => {
  const held: ServerResponse[] = [];
  const { server, port } = await listening((res) => held.push(res));
  const extra = await addAcceptListeners({ server, extra: 7 });
  const answers = Array.from({ length: 32 }, () => get(port));
  while (held.length < 32) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(
    extra.accepted.some((n) => n > 0),
    'no request came through an extra socket',
  );
  extra.stopAccepting();
  server.close();
  try {
    let drained = false;
    const done = extra.drained().then(() => (drained = true));
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(drained, false, 'drained before its connections ended');
    for (const res of held.splice(0)) res.setHeader('connection', 'close').end('late');
    await done;
    assert.deepEqual(new Set((await Promise.all(answers)).map((a) => `${a.status} ${a.body}`)), new Set(['200 late']));
  } finally {
    for (const res of held) res.end();
    server.closeAllConnections();
  }
});
