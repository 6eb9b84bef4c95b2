/**
 * More listening sockets on the registry's port (SO_REUSEPORT), each handing what it accepts to the
 * one HTTP server. Why: libuv accepts one connection per listening socket per event-loop turn, so when
 * many clients connect at once (after a start, a deploy, a load balancer's reconnect) the k-th waits
 * k − 1 turns; the kernel spreads new connections over N sockets, which accept N a turn.
 * Where Node and the platform can: config/server.ts `reusePortSupported`.
 */
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';

export interface AcceptListenersOptions {
  /** The HTTP server, already listening with `reusePort: true`. */
  server: HttpServer;
  /** Sockets besides the server's own. */
  extra: number;
}

export interface AcceptListeners {
  /** Connections each extra socket accepted (tests and benches read it). */
  readonly accepted: readonly number[];
  /** Stops accepting on the extra sockets; their connections stay with the HTTP server. */
  stopAccepting(): void;
  /** After stopAccepting(): settles once every connection an extra socket accepted has ended. */
  drained(): Promise<void>;
}

/**
 * Binds `extra` more sockets to the address `server` listens on.
 *
 * @example
 *   await app.listen({ host, port, reusePort: true });
 *   const more = await addAcceptListeners({ server: app.server, extra: 15 });
 */
export async function addAcceptListeners(options: AcceptListenersOptions): Promise<AcceptListeners> {
  const address = options.server.address();
  if (address === null || typeof address === 'string') throw new Error('the HTTP server must listen on a TCP port first');
  const accepted = new Array<number>(options.extra).fill(0);
  const servers: NetServer[] = [];
  try {
    for (let i = 0; i < options.extra; i++) {
      const more = handingServer(options.server, () => {
        accepted[i] = (accepted[i] ?? 0) + 1;
      });
      servers.push(more);
      await listenOn(more, address.address, address.port);
    }
  } catch (error) {
    for (const more of servers) more.close();
    throw error;
  }
  const closed = servers.map((more) => new Promise<void>((resolve) => more.once('close', () => resolve())));
  return {
    accepted,
    stopAccepting: () => {
      for (const more of servers) if (more.listening) more.close();
    },
    drained: async () => {
      await Promise.all(closed);
    },
  };
}

/**
 * A socket of our own (not yet listening) whose connections `target` serves as if it had accepted them.
 * The warm-up's connections take this way too (warm-requests.ts), so that the code of a request is
 * trained on the very objects a client's connection makes.
 */
export function handingServer(target: HttpServer, accepted: (socket: Socket) => void): NetServer {
  // As node:http makes its own by default: half-open allowed (it ends the response itself), Nagle off.
  return createNetServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    accepted(socket);
    // node:http's documented way to hand it a connection; it sets `socket.server` itself.
    target.emit('connection', socket);
  });
}

function listenOn(server: NetServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // `reusePort` is in Node's types from 22.12; this file is compiled against 20's.
    server.listen({ host, port, reusePort: true } as Parameters<NetServer['listen']>[0], () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Fails as a plain bind would when something already listens on `host:port`. With SO_REUSEPORT a
 * second registry started on the same port by mistake would otherwise share its traffic silently.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
