/**
 * Before the registry listens, it serves a few thousand GETs of its hottest documents to itself over
 * loopback connections to a port of its own (a few at once, each for a few dozen requests, one at a
 * time: warm-client.ts), so that the code of a request (Node's HTTP server, Fastify's routing and
 * hooks, ours) is compiled and optimised before the first client arrives. Measured with
 * bench/ceiling.ts (bench/RESULTS.md run 24): without it the first five seconds after a restart have a
 * p99 of 9-16x their p50; with 5,000 warm-up requests about 4-5x. Taking them as clients send them
 * (run 29: one at a time, new connections, some routed past the front path) took the first 0.1 s
 * from 18 to 9 ms at p99 on Node 24 and from 82 to 33 ms on Node 20 (bench/first-seconds.ts); 20,000
 * (production's default) left fewer functions for the optimising compiler to finish under the first traffic.
 * Requests through `app.inject` do not do this: they train the same code on other objects than real
 * sockets, and left it slower.
 *
 * While it runs, `warming.active` is true: the requests are neither counted against a rate limit,
 * nor in the metrics, nor logged. No client can send any then (nothing listens yet).
 */
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { handingServer } from './accept-listeners.ts';
import { getOneByOne } from './warm-client.ts';

export interface Warming {
  /** True only while the warm-up requests are served. */
  active: boolean;
  /** Requests answered while active (counted where a client's would be: the front path, the route hook). */
  served: number;
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
const LANES = 8;
/**
 * Requests per connection: each lane opens a new one after this many, so that accepting and setting up a
 * connection is warmed too (a restart meets every client's connection at once).
 */
const PER_CONNECTION = 25;

/** The number of requests answered. Call after every route is added and before listen(). */
export async function warmRequests(app: FastifyInstance, options: WarmRequestsOptions): Promise<number> {
  if (options.count <= 0 || options.paths.length === 0) return 0;
  await app.ready();
  // The registry's own server serves them, handed each connection as an extra listening socket hands it
  // one: its sockets and responses are then made with the same settings (timeouts, listeners) as a
  // client's, not by a server of the warm-up's own.
  const sockets = new Set<Socket>();
  const entry = handingServer(app.server, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  entry.listen(0, '127.0.0.1');
  await once(entry, 'listening');
  const { port } = entry.address() as AddressInfo;
  let stopped = false;
  const cutOff = () => {
    stopped = true;
    for (const socket of sockets) socket.destroy();
  };
  const deadline = setTimeout(cutOff, options.budgetMs);
  options.warming.active = true;
  options.warming.served = 0;
  try {
    const perLane = Math.ceil(options.count / LANES);
    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const first = lane * perLane;
        const last = Math.min(first + perLane, options.count);
        for (let at = first, n = 0; at < last && !stopped; at += PER_CONNECTION, n++) {
          const paths = Array.from(
            { length: Math.min(PER_CONNECTION, last - at) },
            (_, i) => options.paths[(at + i) % options.paths.length]!,
          );
          // Every other connection is ended by the client.
          await getOneByOne(port, paths, n % 2 === 1);
        }
      }),
    );
    return options.warming.served;
  } finally {
    options.warming.active = false;
    clearTimeout(deadline);
    entry.close();
    cutOff();
  }
}
