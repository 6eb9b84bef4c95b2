/**
 * This instance's reports to the fleet tables: every interval (and once at start and at shutdown) it
 * adds what its metrics counted since the last report to the current minute and hour buckets, moves
 * its heartbeat, and prunes old rows. The dashboard, served by any instance, sums every instance's rows.
 * Runs on a timer, never inside a request: a GET never writes.
 */
import type { RegistryDatabase } from '../db/database.ts';
import { pruneFleetReports, writeFleetReport, type FleetInstance } from '../db/fleet-reports.ts';
import type { RepeatTimer } from '../db/popularity-refresher.ts';
import { difference } from './fleet-delta.ts';
import type { Metrics } from './metrics.ts';
import { EMPTY_SNAPSHOT } from './snapshot.ts';

export interface FleetReporterOptions {
  db: RegistryDatabase;
  metrics: Metrics;
  now: () => Date;
  instance: FleetInstance;
  /** 0: no timer (and no report at start or shutdown); `report()` still writes when called. */
  intervalMs: number;
  retentionDays: number;
  onError: (error: unknown) => void;
  /** setInterval by default; tests pass one they fire by hand. */
  timer?: RepeatTimer;
}

export interface FleetReporter {
  readonly instance: FleetInstance;
  /** Writes what was counted since the last report (after any report in progress); resolves once written. */
  report(): Promise<void>;
  /** Stops the timer and writes a last report, so a stopping instance's last seconds still count. */
  stop(): Promise<void>;
}

const realTimer: RepeatTimer = (run, intervalMs) => {
  const handle = setInterval(run, intervalMs);
  handle.unref();
  return () => clearInterval(handle);
};

export function createFleetReporter(options: FleetReporterOptions): FleetReporter {
  const { db, metrics, instance } = options;
  let sent = EMPTY_SNAPSHOT;
  let running: Promise<void> = Promise.resolve();
  let pending = 0;

  const writeOnce = async () => {
    const snapshot = metrics.snapshot();
    const at = options.now();
    await db.countOnlyTransaction((trx) => writeFleetReport(trx, { instance, at, delta: difference(snapshot, sent) }));
    // Only once written: after a failed write, the next report carries these counts too.
    sent = snapshot;
    await pruneFleetReports(db, { now: at, retentionDays: options.retentionDays });
  };
  const report = (): Promise<void> => {
    pending++;
    const next = running.then(writeOnce);
    running = next
      .catch(() => undefined)
      .finally(() => {
        pending--;
      });
    return next;
  };
  const tick = () => {
    // A report slower than the interval must not pile up runs behind it.
    if (pending === 0) report().catch(options.onError);
  };
  const cancel = options.intervalMs > 0 ? (options.timer ?? realTimer)(tick, options.intervalMs) : () => undefined;
  return {
    instance,
    report,
    stop: async () => {
      cancel();
      await running;
      if (options.intervalMs > 0) await report().catch(options.onError);
    },
  };
}
