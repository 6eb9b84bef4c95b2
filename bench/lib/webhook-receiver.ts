/**
 * Starts the webhook benchmark's receiver (webhook-receiver-main.ts) as a child process on free
 * loopback ports and talks to it over IPC: reset it before a run (with the secrets to verify
 * with), read its counts, stop it by PID.
 */
import { fork } from 'node:child_process';

export interface ReceiverStats {
  /** Requests that arrived, duplicates included. */
  total: number;
  /** Distinct `webhook-id` headers. */
  unique: number;
  perPath: Record<string, number>;
  /** Arrivals on a path the receiver holds no secret for (not verified). */
  unsigned: number;
  /** Arrivals whose signature `standardwebhooks` refused. */
  badSignature: number;
  /** Epoch milliseconds of the first and the last arrival (0 when none). */
  firstAt: number;
  lastAt: number;
  /** CPU time (user + system) of the receiver process since it started. */
  cpuMs: number;
}

export type ReceiverRequest = { type: 'reset'; seq: number; secrets: Record<string, string> } | { type: 'stats'; seq: number };
export type ReceiverReply =
  | { type: 'ready'; seq: 0; ports: number[] }
  | { type: 'reset'; seq: number }
  | { type: 'stats'; seq: number; stats: ReceiverStats };

export interface ReceiverProcess {
  ports: number[];
  pid: number;
  /** Forgets every arrival; from now on a delivery to `path` is verified with `secrets[path]`. */
  reset(secrets: Record<string, string>): Promise<void>;
  stats(): Promise<ReceiverStats>;
  stop(): Promise<void>;
}

export async function startReceiverProcess(root: string, ports: number, timeoutMs = 30_000): Promise<ReceiverProcess> {
  const child = fork('bench/lib/webhook-receiver-main.ts', [String(ports)], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the webhook receiver');
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => (exited = true));
  const pending = new Map<number, (reply: ReceiverReply) => void>();
  child.on('message', (reply: ReceiverReply) => pending.get(reply.seq)?.(reply));
  // The child announces its ports unasked, once it listens (seq 0 is never used by a request).
  const ready = new Promise<ReceiverReply>((resolve) => pending.set(0, resolve));
  let seq = 0;
  const ask = (request: ReceiverRequest): Promise<ReceiverReply> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(request.seq);
        reject(new Error(`the webhook receiver did not answer ${request.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(request.seq, (reply) => {
        clearTimeout(timer);
        pending.delete(request.seq);
        resolve(reply);
      });
      child.send(request);
    });
  const stop = async () => {
    if (!exited) {
      process.kill(pid, 'SIGTERM');
      await exit;
    }
  };
  try {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the webhook receiver did not start within ${timeoutMs} ms`)), timeoutMs);
    });
    const started = await Promise.race([
      ready,
      exit.then(() => Promise.reject(new Error('the webhook receiver exited before it was ready'))),
      late,
    ]).finally(() => clearTimeout(timer));
    if (started.type !== 'ready') throw new Error(`the webhook receiver said ${started.type} before it was ready`);
    return {
      ports: started.ports,
      pid,
      reset: async (secrets) => void (await ask({ type: 'reset', seq: ++seq, secrets })),
      stats: async () => {
        const reply = await ask({ type: 'stats', seq: ++seq });
        if (reply.type !== 'stats') throw new Error(`the webhook receiver answered ${reply.type} to stats`);
        return reply.stats;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
