/**
 * Before the registry listens, it serves a few thousand GETs of its hottest documents to itself,
 * over real loopback sockets on a port of its own, so that the code of a request (Node's HTTP
 * server, Fastify's routing and hooks, ours) is compiled and optimised before the first client
 * arrives. Measured with bench/ceiling.ts (bench/RESULTS.md run 24): without it the first seconds
 * after a restart serve at a p99 of 10–20× their p50; with 5,000 warm-up requests about 4–6×,
 * which is what bare node:http shows in its own first seconds. Requests through `app.inject` do
 * not do this: they train the same code on other objects than real sockets and made it slower.
 *
 * While it runs, `warming.active` is true: the requests are neither counted against a rate limit,
 * nor in the metrics, nor logged. No client can send any then (nothing listens yet).
 */
import http from 'node:http';
import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';

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
  const server = http.createServer((request, response) => app.routing(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const deadline = performance.now() + options.budgetMs;
  let answered = 0;
  let next = 0;
  const lane = async () => {
    while (next < options.count && performance.now() < deadline) {
      const path = options.paths[next % options.paths.length]!;
      next += 1;
      await get(agent, port, path);
      answered += 1;
    }
  };
  options.warming.active = true;
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, lane));
  } finally {
    options.warming.active = false;
    agent.destroy();
    server.closeAllConnections();
    server.close();
  }
  return answered;
}

function get(agent: http.Agent, port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (response) => {
        response.resume();
        response.on('end', resolve);
        response.on('error', reject);
      })
      .on('error', reject);
  });
}
