// Test support: real HTTP servers on loopback that count what reaches them, for the delivery tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface Loopback {
  server: http.Server;
  port: number;
  /** Base URL, e.g. http://127.0.0.1:41234 (IPv6 hosts in brackets). */
  url: string;
  /** TCP connections accepted so far: proof of whether anything connected at all. */
  connections: () => number;
  requests: () => number;
}

/** Starts a server on `host` (127.0.0.1 unless given), closed when the test ends. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

export async function startLoopback(t: TestContext, handler: Handler, host = '127.0.0.1'): Promise<Loopback> {
  let connections = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    // A handler that throws ends its connection: the delivery then fails and the test says so.
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => res.destroy());
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  t.after(() => closeServer(server));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { server, port, url, connections: () => connections, requests: () => requests };
}

export async function closeServer(server: http.Server | import('node:net').Server): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Reads a request body as text (the tests send small ones). */
export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
