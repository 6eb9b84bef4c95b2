/**
 * When each API token was last used, kept in memory and written in one batch on a timer, so that
 * authenticating a request (a GET included) never writes. The time is informational (the token list
 * shows it), so a bounded buffer may drop an update rather than grow: at most `maxPending` tokens wait.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** A token's last use is recorded at most this often (the list shows minutes, not milliseconds). */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

export interface TokenUsage {
  /** Notes a use at `at` (ISO time), unless one was noted or stored less than a minute before. */
  used(tokenId: number, stored: string | null, at: string): void;
  /** The newest use not yet written, if any: what the token list shows before the flush. */
  pending(tokenId: number): string | undefined;
  flush(): Promise<void>;
  /** Stops the timer and writes what is pending. */
  close(): Promise<void>;
}

export interface TokenUsageOptions {
  db: Kysely<Database>;
  intervalMs: number;
  maxPending?: number;
  onError: (error: unknown) => void;
}

export function createTokenUsage(options: TokenUsageOptions): TokenUsage {
  const maxPending = options.maxPending ?? 10_000;
  let waiting = new Map<number, string>();
  const flush = async (): Promise<void> => {
    if (waiting.size === 0) return;
    const batch = waiting;
    waiting = new Map();
    try {
      await writeUses(options.db, batch);
    } catch (error) {
      // Put back what is not newer already, to be tried on the next tick.
      for (const [id, at] of batch) if (!waiting.has(id) && waiting.size < maxPending) waiting.set(id, at);
      throw error;
    }
  };
  const timer = setInterval(() => flush().catch(options.onError), options.intervalMs);
  timer.unref();
  return {
    used(tokenId, stored, at) {
      const last = waiting.get(tokenId) ?? stored;
      if (last !== null && Date.parse(at) - Date.parse(last) <= TOKEN_USE_RESOLUTION_MS) return;
      if (!waiting.has(tokenId) && waiting.size >= maxPending) return;
      waiting.set(tokenId, at);
    },
    pending: (tokenId) => waiting.get(tokenId),
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

async function writeUses(db: Kysely<Database>, batch: Map<number, string>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [id, at] of batch) {
      await trx.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    }
  });
}
