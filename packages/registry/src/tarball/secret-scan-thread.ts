/**
 * Secret scanning on one long-lived worker thread per registry process, beside the thread that
 * receives, hashes, inflates and parses the upload, so the scan's CPU no longer adds to a publish's
 * wall time. Sessions (one per archive) share the thread; each is bounded to maxPendingBytes posted
 * and not yet scanned, past which the archive reader stops inflating until the thread catches up.
 * A thread that dies fails the scans on it (503 secret_scan_failed, never an unscanned tarball
 * accepted) and the next session starts a fresh one. Started on the first session, not before.
 *
 * @example
 * const thread = createSecretScanThread({ onError: log });
 * await readArchive(body, { scanSecrets: true, scanThread: thread });
 * await thread.close();
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RegistryError } from '../../../core/src/errors.ts';
import { workerEntry } from '../worker-entry.ts';
import {
  BATCH_BYTES,
  batchBuffers,
  createBatchSession,
  type BatchSession,
  type FromScanThread,
  type ToScanThread,
} from './secret-scan-batch.ts';
import type { SecretScanSessions } from '../../../core/src/tarball/secret-scan-session.ts';

export interface SecretScanThread extends SecretScanSessions {
  /** Milliseconds its threads have spent working (event loop active), for measuring what a scan costs. */
  busyMs(): number;
  /** Stops the thread; scans still running fail. */
  close(): Promise<void>;
}

export interface SecretScanThreadOptions {
  /** Bytes of one archive posted to the thread and not yet scanned before its reading waits (default 4 MiB). */
  maxPendingBytes?: number;
  /** A thread that failed or exited unasked (its scans fail with secret_scan_failed). */
  onError(error: unknown): void;
  /** Another worker file (tests: one that fails on cue). */
  workerFile?: string;
}

export const secretScanFailed = (cause?: unknown) =>
  new RegistryError(
    503,
    'secret_scan_failed',
    'The registry could not scan the tarball for secrets, so nothing was published; publish again in a few seconds',
    {
      headers: { 'retry-after': '5' },
      cause,
    },
  );

export function createSecretScanThread(options: SecretScanThreadOptions): SecretScanThread {
  const maxPendingBytes = options.maxPendingBytes ?? 4 * 1024 * 1024;
  const sessions = new Map<number, BatchSession>();
  // As many as one session may have waiting on the thread, so a publish after the first allocates none.
  const buffers = batchBuffers(Math.ceil(maxPendingBytes / BATCH_BYTES) + 1);
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;
  let busyBefore = 0; // of the threads that have ended
  const busyNow = (thread: Worker | null): number => thread?.performance.eventLoopUtilization().active ?? 0;

  /** Every scan on `dead` fails; the next session starts another thread. */
  const lost = (dead: Worker, error: unknown): void => {
    if (worker !== dead) return;
    busyBefore += busyNow(dead);
    worker = null;
    void dead.terminate();
    if (!closed) options.onError(error);
    for (const session of [...sessions.values()]) session.failed(secretScanFailed(error));
  };

  const start = (): Worker => {
    const started = spawn(options.workerFile ?? workerEntry(import.meta.url, 'secret-scan-worker', 'secret scan').filename);
    started.on('message', (message: FromScanThread) => {
      const session = sessions.get(message.session);
      if (message.kind === 'ack') session?.acked(message.buffer, message.bytes);
      else session?.found(message.findings);
    });
    started.on('error', (error) => lost(started, error));
    started.on('messageerror', (error) => lost(started, error));
    started.on('exit', (code) => lost(started, new Error(`the secret scan thread exited with code ${code}`)));
    return started;
  };

  /** Kept alive while it has scans to finish, not after (an idle thread must not hold the process open). */
  const settled = (id: number): void => {
    sessions.delete(id);
    if (sessions.size === 0) worker?.unref();
  };

  return {
    session(onError) {
      if (closed) throw secretScanFailed(new Error('the secret scan thread is closed'));
      worker ??= start();
      worker.ref();
      const thread = worker;
      const id = nextId++;
      const session = createBatchSession({
        id,
        post: (message: ToScanThread, transfer) => thread.postMessage(message, transfer),
        maxPendingBytes,
        buffers,
        onError,
        onSettled: () => settled(id),
      });
      sessions.set(id, session);
      return session;
    },
    busyMs: () => busyBefore + busyNow(worker),
    async close() {
      closed = true;
      const running = worker;
      worker = null;
      for (const session of [...sessions.values()]) session.failed(secretScanFailed(new Error('the registry is shutting down')));
      await running?.terminate();
    },
  };
}

/**
 * The bundled worker as it is; the TypeScript source through tsx's tsImport. On Node 20 a worker's
 * own entry file is loaded before an inherited or passed `--import tsx` has registered its hooks.
 */
function spawn(filename: string): Worker {
  if (!filename.endsWith('.ts')) return new Worker(filename);
  const url = JSON.stringify(pathToFileURL(filename).href);
  return new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${url}, ${url}))`, {
    eval: true,
  });
}
