/** The readiness checks of /health/ready, shared with the admin dashboard: the database and the storage answer. */
import type { AppDeps } from './deps.ts';

export interface Readiness {
  ok: boolean;
  /** `ok`, or `failing: <reason>`. */
  checks: { database: string; storage: string };
}

async function check(probe: () => Promise<void>): Promise<string> {
  try {
    await probe();
    return 'ok';
  } catch (error) {
    return `failing: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export async function checkReadiness(deps: Pick<AppDeps, 'db' | 'store'>): Promise<Readiness> {
  const [database, storage] = await Promise.all([check(() => deps.db.ping()), check(() => deps.store.ping())]);
  return { ok: database === 'ok' && storage === 'ok', checks: { database, storage } };
}
