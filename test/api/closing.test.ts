/**
 * A request that arrives while the registry is shutting down, on a connection that was busy when the
 * shutdown began (an idle one is closed at once): it is answered as any other, and told that the
 * connection closes after it. Before, the framework answered it with a 503 of its own that was not
 * problem+json; a client in a rolling deploy then saw an error it could not read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { startRegistry } from '../helpers/registry.ts';
import { publish, signUp, uniqueName } from '../helpers/client.ts';

/** Everything the server sends on `socket` until it closes the connection. */
async function untilClosed(socket: net.Socket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  await once(socket, 'close');
  return text;
}

for (const [what, path] of [
  ['a package document', (name: string) => `/api/v1/packages/${name}`],
  ['a route the front path never takes', () => '/api/v1/health/live'],
] as const) {
  test(`during shutdown, ${what} asked on a busy connection is answered, then the connection closes`, async () => {
    const r = await startRegistry({ REGISTRY_PUBLIC_URL: 'http://registry.example' });
    const name = uniqueName('closing');
    const { token } = await signUp(r.api);
    assert.equal((await publish(r.api, token, { name, version: '1.0.0' })).status, 201);
    // Twice, so that the document is kept (and the front path would answer it).
    for (let i = 0; i < 2; i++) assert.equal((await fetch(`${r.api}/packages/${name}`)).status, 200);

    const server = r.registry.app.server;
    const accepted = once(server, 'connection');
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    const answer = untilClosed(socket);
    // Half a request: the connection is busy, so the shutdown waits for it rather than closing it.
    socket.write(`GET ${path(name)} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    await accepted;
    // The server shares this process: the turn after it accepted, it has read what loopback delivered.
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    const closed = r.close();
    // The listening socket is closed at the start of the shutdown.
    while (r.registry.app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    socket.write('\r\n');
    const text = await answer;
    await closed;

    const [head = '', body = ''] = text.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 200 /, text);
    assert.match(head, /\r\nconnection: close\r\n/i, 'the client is told the connection closes');
    if (path(name).includes('/packages/')) assert.equal(JSON.parse(body).name, name);
  });
}
