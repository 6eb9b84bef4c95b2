/**
 * A scriptable registry for client tests (node:http): each test sets the answer per route and
 * reads back what the client sent, headers and bodies included.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface FakeRegistry {
  url: string;
  seen: Seen[];
  /** `METHOD /path` (query string ignored) → handler; unmatched requests get a 404 problem. */
  routes: Map<string, Route>;
  close(): Promise<void>;
}

export const json = (res: ServerResponse, status: number, value: unknown, type = 'application/json') =>
  void res.writeHead(status, { 'content-type': type }).end(JSON.stringify(value));

export async function fakeRegistry(): Promise<FakeRegistry> {
  const seen: Seen[] = [];
  const routes = new Map<string, Route>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      const route = routes.get(`${req.method} ${(req.url ?? '').split('?')[0]}`);
      if (!route) return json(res, 404, { status: 404, code: 'not_found', detail: 'no such route' }, 'application/problem+json');
      Promise.resolve(route(req, res, body)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    seen,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
