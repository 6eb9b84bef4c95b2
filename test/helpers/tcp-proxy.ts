/**
 * A loopback TCP proxy in front of a real server (PostgreSQL, s3rver) that a test can pause, to
 * simulate that server going away without touching it: paused, the port refuses connections and
 * every open connection is cut; resumed, the same port forwards again.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Stops listening (new connections are refused) and destroys every open connection. */
  pause(): Promise<void>;
  /** Listens on the same port again. */
  resume(): Promise<void>;
  /** Connections accepted so far (a reconnecting client shows up here). */
  readonly accepted: number;
  close(): Promise<void>;
}

/**
 * @example
 * const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
 * // connect to 127.0.0.1:proxy.port; then:
 * await proxy.pause(); await proxy.resume();
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let server: Server | null = null;

  const open = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((client) => {
        accepted += 1;
        const upstream = createConnection(target);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(s));
    });

  const shut = async () => {
    const s = server;
    server = null;
    // Closing the listener first: nothing new gets in while the open connections are cut.
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  server = await open(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const port = address.port;

  return {
    port,
    get accepted() {
      return accepted;
    },
    pause: shut,
    resume: async () => {
      if (!server) server = await open(port);
    },
    close: shut,
  };
}
