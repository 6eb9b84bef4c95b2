/**
 * Cross-instance cache invalidation on PostgreSQL: a change that makes a cached read wrong (a version
 * deleted) sends NOTIFY in its transaction, which PostgreSQL delivers to every listening instance at
 * commit. Each instance keeps a generation number that moves with every notification; caches keyed on
 * it drop what they hold. While the listening connection is down the generation is undefined (cache
 * nothing), and it moves on reconnecting, since notifications sent meanwhile were lost.
 */
import pg from 'pg';
import { sql } from 'kysely';
import type { Db } from './users.ts';

export const TARBALL_CHANNEL = 'synapse_tarballs';
const RECONNECT_MS = 1_000;

export interface InvalidationListener {
  /** Moves with every notification; undefined while not listening. */
  generation(): number | undefined;
  close(): Promise<void>;
}

/** Listens on `channel` with a connection of its own (a pooled one would be handed to queries). */
export function listenForInvalidations(url: string, channel: string): InvalidationListener {
  let generation = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  // Awaited by close(): a connection still opening must not outlive the registry (nor block a DROP DATABASE).
  let connecting: Promise<void> | undefined;

  const lost = () => {
    listening = false;
    client = undefined;
    if (!closed && !retry) retry = setTimeout(start, RECONNECT_MS).unref();
  };
  const start = () => void (connecting = connect());
  async function connect(): Promise<void> {
    retry = undefined;
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    next.on('error', () => undefined);
    next.on('end', () => client === next && lost());
    next.on('notification', () => void (generation += 1));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch {
      await next.end().catch(() => undefined);
      lost();
      return;
    }
    if (closed) return void (await next.end().catch(() => undefined));
    client = next;
    // Whatever was cached before this connection may have missed a notification.
    generation += 1;
    listening = true;
  }
  start();
  return {
    generation: () => (listening ? generation : undefined),
    async close() {
      closed = true;
      clearTimeout(retry);
      await connecting;
      listening = false;
      const open = client;
      client = undefined;
      await open?.end().catch(() => undefined);
    },
  };
}

/** Tells every instance, at commit, that cached tarball lookups may be wrong. */
export async function notifyTarballsChanged(db: Db, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_notify(${TARBALL_CHANNEL}, '')`.execute(db);
}
