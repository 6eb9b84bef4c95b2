/**
 * Runs queued jobs: polls the queue, claims what is due (never more than the free slots), runs the
 * handlers concurrently and records their outcomes; also deletes old done jobs a batch at a time.
 * Several runners (processes, instances) may share one database; each job runs once per claim.
 *
 * @example
 * const jobs = createJobRunner({ db, now: () => new Date(), handlers: { 'webhook.deliver': deliver }, workerId: 'host:123' });
 * jobs.start();          // polls every second; jobs.wake() after a commit that enqueued
 * await jobs.stop();     // at shutdown, before the database closes
 */
import type { RegistryDatabase } from '../db/database.ts';
import type { RepeatTimer } from '../db/popularity-refresher.ts';
import { claimJobs } from './claim.ts';
import { pruneFinishedJobs, RETENTION_BATCH } from './retention.ts';
import { runJob, type JobHandler, type RunContext } from './run-job.ts';

export type { ClaimedJob, JobHandler, JobOutcome } from './run-job.ts';

export interface JobRunnerOptions {
  db: RegistryDatabase;
  now: () => Date;
  handlers: Record<string, JobHandler>;
  /** Names this runner in `locked_by`; unique per process. */
  workerId: string;
  /** Jobs run at once by this runner (default 16). */
  concurrency?: number;
  /** How often to look for due jobs (default 1000 ms). */
  pollMs?: number;
  /** How long a claim holds before another runner may take the job (default 5 min). */
  leaseMs?: number;
  /**
   * While foreground work is in flight (see busy()), the background polls claim only jobs overdue by
   * this much, so a burst of changes is not slowed by the jobs it queues; they run as soon as the
   * burst pauses, or once this late. Default 0: never yield.
   */
  yieldMs?: number;
  onError?: (error: unknown) => void;
  /** The polling timer: setInterval (unref'd) by default. */
  timer?: RepeatTimer;
  /** For the retry jitter; [0, 1). */
  random?: () => number;
}

export interface JobRunner {
  /** Claims and runs every job due at now() (repeatedly, until none is due), awaiting them; returns how many ran. */
  runDue(): Promise<number>;
  /** Starts polling every pollMs; wake() makes the next poll happen now (call it after a commit that enqueued). */
  start(): void;
  wake(): void;
  /** Marks foreground work (a write request) in flight until the returned function is called (once or more). */
  busy(): () => void;
  /** Stops polling and waits for jobs in flight. */
  stop(): Promise<void>;
}

/** Old done jobs are looked for this often (by the runner's clock), or at once while a full batch came back. */
const RETENTION_EVERY_MS = 60_000;

const realTimer: RepeatTimer = (run, intervalMs) => {
  const handle = setInterval(run, intervalMs);
  handle.unref();
  return () => clearInterval(handle);
};

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 300_000;
  const onError = options.onError ?? (() => undefined);
  const ctx: RunContext = {
    db: options.db.kysely,
    now: options.now,
    handlers: options.handlers,
    workerId: options.workerId,
    leaseMs,
    random: options.random ?? Math.random,
    onError,
  };
  const kinds = Object.keys(options.handlers);
  const inFlight = new Set<Promise<void>>();
  let polling: Promise<void> | null = null;
  let pollAgain = false;
  let cancelTimer: (() => void) | null = null;
  let nextPruneAt = -Infinity;
  let foreground = 0;
  /** A poll held jobs back for foreground work: the end of that work polls again. */
  let held = false;
  // A finished job polls again only once this many slots are free (or none is busy): one claim for
  // several jobs, not one per job. The timer's poll bounds what a job queued meanwhile waits.
  const refillAt = Math.max(1, Math.floor(concurrency / 4));

  const claimAndLaunch = async (yieldToForeground: boolean): Promise<number> => {
    const limit = concurrency - inFlight.size;
    if (limit <= 0) return 0;
    const now = options.now();
    const yieldMs = yieldToForeground && foreground > 0 ? (options.yieldMs ?? 0) : 0;
    held = yieldMs > 0;
    const dueBy = new Date(now.getTime() - yieldMs);
    const rows = await claimJobs(options.db, { workerId: options.workerId, now, dueBy, leaseMs, limit, kinds });
    for (const row of rows) {
      const running: Promise<void> = runJob(ctx, row).finally(() => {
        inFlight.delete(running);
        // A finished job frees a slot and may unblock the next job of its ordering key.
        if (cancelTimer && (inFlight.size === 0 || concurrency - inFlight.size >= refillAt)) poke();
      });
      inFlight.add(running);
    }
    return rows.length;
  };

  const prune = async (force: boolean): Promise<void> => {
    const now = options.now().getTime();
    if (!force && now < nextPruneAt) return;
    const deleted = await pruneFinishedJobs(options.db, new Date(now));
    nextPruneAt = deleted >= RETENTION_BATCH ? now : now + RETENTION_EVERY_MS;
  };

  /** One background poll at a time; a wake during one asks for another right after it. */
  const poke = (): void => {
    if (!cancelTimer) return;
    if (polling !== null) {
      pollAgain = true;
      return;
    }
    polling = (async () => {
      do {
        pollAgain = false;
        await prune(false);
        await claimAndLaunch(true);
      } while (pollAgain && cancelTimer);
    })()
      .catch(onError)
      .finally(() => {
        polling = null;
      });
  };

  return {
    async runDue() {
      let ran = 0;
      await prune(true);
      for (;;) {
        ran += await claimAndLaunch(false);
        if (inFlight.size === 0) return ran;
        // Nothing more to claim until a slot frees or a finished job unblocks its ordering key.
        await Promise.race(inFlight);
      }
    },
    start() {
      if (cancelTimer) return;
      cancelTimer = (options.timer ?? realTimer)(poke, options.pollMs ?? 1_000);
      poke();
    },
    wake: poke,
    busy() {
      foreground += 1;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        foreground -= 1;
        // The jobs held back for it may go now.
        if (foreground === 0 && held) poke();
      };
    },
    async stop() {
      cancelTimer?.();
      cancelTimer = null;
      await polling;
      await Promise.all(inFlight);
    },
  };
}
