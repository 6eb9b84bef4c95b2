/**
 * Before the registry listens, it serves a few thousand GETs of its hottest documents to itself,
 * pipelined over a few loopback connections to a port of its own, so that the code of a request
 * (Node's HTTP server, Fastify's routing and hooks, ours) is compiled and optimised before the first
 * client arrives. Measured with bench/ceiling.ts (bench/RESULTS.md run 24): without it the first five
 * seconds after a restart have a p99 of 9-16x their p50; with 5,000 warm-up requests about 4-5x, which
 * is what bare node:http shows in its own first seconds. Requests through `app.inject` do not do this:
 * they train the same code on other objects than real sockets, and left it slower.
 *
 * While it runs, `warming.active` is true: the requests are neither counted against a rate limit,
 * nor in the metrics, nor logged. No client can send any then (nothing listens yet).
 */
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { requestListener } from './front-server.ts';

export interface Warming {
  /** True only while the warm-up requests are served. */
  active: boolean;
}

export interface WarmRequestsOptions {
  /** Paths to GET, taken in turn (each must answer without writing anything). */
  paths: readonly string[];
  /** Requests in all. */
  count: number;
  /** Stop after this long, whatever is left. */
  budgetMs: number;
  warming: Warming;
}

/** Connections at once: enough to exercise concurrent requests, few enough to stay a warm-up. */
const CONNECTIONS = 8;

/** The number of requests answered. Call after every route is added and before listen(). */
export async function warmRequests(app: FastifyInstance, options: WarmRequestsOptions): Promise<number> {
  if (options.count <= 0 || options.paths.length === 0) return 0;
  await app.ready();
  // The listener the registry's own server has: the front path is warmed along with the routes.
  const listener = requestListener(app);
  let answered = 0;
  const server = http.createServer((request, response) => {
    response.once('finish', () => {
      answered += 1;
    });
    listener(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const perConnection = Math.ceil(options.count / CONNECTIONS);
  const deadline = setTimeout(() => server.closeAllConnections(), options.budgetMs);
  options.warming.active = true;
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, lane) => {
        const first = lane * perConnection;
        const paths = Array.from({ length: Math.max(0, Math.min(perConnection, options.count - first)) }, (_, i) => {
          return options.paths[(first + i) % options.paths.length]!;
        });
        return pipelined(port, paths);
      }),
    );
    return answered;
  } finally {
    options.warming.active = false;
    clearTimeout(deadline);
    server.closeAllConnections();
    server.close();
  }
}

/**
 * Sends every request on one connection at once (HTTP/1.1 pipelining), the last asking the server to
 * close it, and resolves once it has, or the connection failed. The answers are read and dropped
 * unparsed: the client side is only a socket, so the server's code is trained on requests alone (not
 * on Node's HTTP client, which shares some of it).
 */
function pipelined(port: number, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return Promise.resolve();
  const requests = paths.map(
    (path, i) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${i === paths.length - 1 ? 'Connection: close\r\n' : ''}\r\n`,
  );
  return new Promise((resolve) => {
    // Not end(): a client's half-close makes the server drop the requests it has not answered yet.
    const socket = net.connect(port, '127.0.0.1', () => socket.write(requests.join('')));
    socket.on('error', () => undefined); // the count says what was answered
    socket.on('close', () => resolve());
    socket.resume();
  });
}
