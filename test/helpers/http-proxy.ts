/**
 * A loopback HTTP proxy in front of a real registry, for pull-through tests: it counts the requests
 * it forwards (by path), can corrupt the tarballs it relays, and can stop listening (connections
 * refused, as when the upstream is down) and start again on the same port.
 */
import { createServer, request as forward, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpProxy {
  url: string;
  /** Requests forwarded for this path (query excluded) since the last reset. */
  count(path: string): number;
  resetCounts(): void;
  /** While true, every tarball relayed has one byte flipped (same length, wrong hash). */
  tamper: boolean;
  pause(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

export async function startHttpProxy(target: string): Promise<HttpProxy> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const state = { tamper: false };

  const handle = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const out = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (!(state.tamper && path.endsWith('/tarball') && answer.statusCode === 200)) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          body[body.length >> 1]! ^= 0xff;
          res.writeHead(200, answer.headers);
          res.end(body);
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const open = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer(handle);
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(s));
    });

  const shut = async () => {
    const s = server;
    server = null;
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
    url: `http://127.0.0.1:${port}`,
    count: (path) => counts.get(path) ?? 0,
    resetCounts: () => counts.clear(),
    get tamper() {
      return state.tamper;
    },
    set tamper(on: boolean) {
      state.tamper = on;
    },
    pause: shut,
    resume: async () => {
      if (!server) server = await open(port);
    },
    close: shut,
  };
}
