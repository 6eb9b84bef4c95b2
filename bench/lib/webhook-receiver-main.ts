/**
 * The webhook benchmark's receiver, as a child process with an IPC channel (see webhook-receiver.ts):
 * `node:http` servers on several loopback ports that answer 204 as soon as a body has arrived, count
 * arrivals by `webhook-id`, and verify each signature with the `standardwebhooks` package when the
 * parent gave a secret for the path. A process of its own, so its work never sits in the publishers'
 * event loop; its CPU time is reported, since on one machine it shares the cores with the registry.
 *
 *   node --import tsx bench/lib/webhook-receiver-main.ts <ports>
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import type { ReceiverReply, ReceiverRequest, ReceiverStats } from './webhook-receiver.ts';

const count = Number(process.argv[2] ?? '3');
if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error(`the number of ports must be 1 to 16, not ${process.argv[2]}`);

/** Milliseconds since the epoch, sub-millisecond: comparable with the parent's clock. */
const epochMs = () => performance.timeOrigin + performance.now();

let verifiers = new Map<string, Webhook>();
let seen = new Set<string>();
let state = fresh();

function fresh() {
  return { total: 0, perPath: {} as Record<string, number>, unsigned: 0, badSignature: 0, firstAt: 0, lastAt: 0 };
}

function arrived(req: IncomingMessage, raw: string): void {
  const id = String(req.headers['webhook-id']);
  const path = req.url ?? '';
  const verifier = verifiers.get(path);
  if (!verifier) state.unsigned++;
  else {
    try {
      verifier.verify(raw, req.headers as Record<string, string>);
    } catch {
      state.badSignature++;
    }
  }
  const at = epochMs();
  if (state.total === 0) state.firstAt = at;
  state.lastAt = at;
  state.total++;
  state.perPath[path] = (state.perPath[path] ?? 0) + 1;
  seen.add(id);
}

const servers = Array.from({ length: count }, () =>
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrived(req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204).end();
    });
  }),
);
await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));

function stats(): ReceiverStats {
  const cpu = process.cpuUsage();
  return { ...state, perPath: { ...state.perPath }, unique: seen.size, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const reply = (message: ReceiverReply) => process.send?.(message);

process.on('message', (message: ReceiverRequest) => {
  if (message.type === 'reset') {
    verifiers = new Map(Object.entries(message.secrets).map(([path, secret]) => [path, new Webhook(secret)]));
    seen = new Set();
    state = fresh();
    reply({ type: 'reset', seq: message.seq });
  } else if (message.type === 'stats') {
    reply({ type: 'stats', seq: message.seq, stats: stats() });
  }
});
// The parent gone (crashed, killed): nothing is left to report to.
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready', seq: 0, ports: servers.map((s) => (s.address() as AddressInfo).port) });
