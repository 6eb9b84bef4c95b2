/**
 * A real HTTP receiver on loopback that checks every delivery with the `standardwebhooks` package
 * (not our own code) and records what arrived. `respond` decides each answer; `waitFor` resolves
 * when a condition on the deliveries holds (checked on every arrival, never by sleeping).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Json } from './client.ts';

export interface Arrival {
  id: string;
  timestamp: number;
  type: string;
  body: Json;
  /** Whether the signature verified with the secret the receiver holds. */
  verified: boolean;
  headers: IncomingMessage['headers'];
}

export interface Receiver {
  url: string;
  arrivals: Arrival[];
  /** Sets the secret deliveries are verified with (the one POST /webhooks answered). */
  setSecret(secret: string): void;
  /** How to answer arrival number n (0-based); default 204. 'hang' never answers. */
  respond: (n: number, res: ServerResponse) => void | 'hang';
  waitFor(check: (arrivals: Arrival[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let secret = '';
  const arrivals: Arrival[] = [];
  const waiters = new Set<() => void>();
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    arrivals,
    setSecret: (s) => void (secret = s),
    respond: (_n, res) => void res.writeHead(204).end(),
    waitFor: (check, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const done = () => {
          if (!check(arrivals)) return;
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(done);
          reject(new Error(`receiver: condition not met in ${timeoutMs} ms; arrived: ${arrivals.map((a) => a.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(done);
        done();
      }),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(secret).verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const body = JSON.parse(raw);
      const n = arrivals.length;
      arrivals.push({
        id: String(req.headers['webhook-id']),
        timestamp: Number(req.headers['webhook-timestamp']),
        type: body.type,
        body,
        verified,
        headers: req.headers,
      });
      if (receiver.respond(n, res) === 'hang') hanging.add(res);
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
