/**
 * The main-thread half of a scan on the worker thread: each file's chunks are copied, in order, into
 * batches of about BATCH_BYTES, and a full batch's memory is transferred to the thread (posting a
 * Buffer view without transfer would clone its whole ArrayBuffer). The thread sends each batch's
 * memory back once scanned, to be filled again. Chunks keep their boundaries, so the thread's scanner
 * sees exactly the writes the inline one would, and finds exactly the same.
 */
import type { SecretFinding } from '../../../core/src/tarball/secret-scan.ts';
import type { FileScan, SecretScanSession } from '../../../core/src/tarball/secret-scan-session.ts';

/** Open a file, its bytes [start, end) of the batch, the file's end. */
export type ScanOp = [op: 0, file: number, path: string] | [op: 1, file: number, start: number, end: number] | [op: 2, file: number];

export type ToScanThread =
  | { kind: 'batch'; session: number; buffer: ArrayBuffer | null; ops: ScanOp[] }
  | { kind: 'finish'; session: number }
  | { kind: 'abort'; session: number };

export type FromScanThread =
  | { kind: 'ack'; session: number; buffer: ArrayBuffer | null; bytes: number }
  | { kind: 'findings'; session: number; findings: SecretFinding[] };

/** Each message costs the main thread some 40 µs: at 1 MiB, 21 MB of text cost it 4 to 6 ms, at 256 KiB 6 to 8, at 64 KiB 9 to 10. */
export const BATCH_BYTES = 1024 * 1024;

/** Batch memory handed back by the thread, kept for the next batches (of any session) up to a bound. */
export interface BatchBuffers {
  take(): ArrayBuffer;
  give(buffer: ArrayBuffer): void;
}

/** Without reuse every batch is a fresh allocation, and 20 MB of them a publish bring on garbage collections. */
export function batchBuffers(maxKept: number): BatchBuffers {
  const kept: ArrayBuffer[] = [];
  return {
    take: () => kept.pop() ?? new ArrayBuffer(BATCH_BYTES),
    give(buffer) {
      if (buffer.byteLength === BATCH_BYTES && kept.length < maxKept) kept.push(buffer);
    },
  };
}

export interface BatchSession extends SecretScanSession {
  /** The thread has scanned a batch (its memory given back). */
  acked(buffer: ArrayBuffer | null, bytes: number): void;
  found(findings: SecretFinding[]): void;
  /** The thread can no longer finish this scan. */
  failed(error: unknown): void;
}

export interface BatchSessionOptions {
  id: number;
  post(message: ToScanThread, transfer: ArrayBuffer[]): void;
  /** Bytes posted and not yet scanned past which the session reports itself full. */
  maxPendingBytes: number;
  buffers: BatchBuffers;
  onError(error: unknown): void;
  /** The session is over (found, failed or aborted): the thread forgets it. */
  onSettled(): void;
}

export function createBatchSession(options: BatchSessionOptions): BatchSession {
  const { id, post } = options;
  let files = 0;
  let batch: Buffer | null = null;
  let used = 0;
  let ops: ScanOp[] = [];
  let pending = 0;
  let resume: (() => void) | null = null;
  let over = false;
  let settle: { resolve(f: SecretFinding[]): void; reject(e: unknown): void } | null = null;
  let failure: { error: unknown } | null = null;

  const flush = (): void => {
    if (ops.length === 0) return;
    const buffer = batch === null ? null : (batch.buffer as ArrayBuffer);
    post({ kind: 'batch', session: id, buffer, ops }, buffer === null ? [] : [buffer]);
    pending += used;
    batch = null;
    used = 0;
    ops = [];
  };
  const room = (bytes: number): Buffer => {
    if (batch !== null && used + bytes > batch.length) flush();
    batch ??= Buffer.from(bytes <= BATCH_BYTES ? options.buffers.take() : new ArrayBuffer(bytes));
    return batch;
  };
  const end = (): void => {
    over = true;
    resume = null;
    options.onSettled();
  };

  return {
    open(path) {
      if (over) return null;
      const file = files++;
      ops.push([0, file, path]);
      const scan: FileScan = {
        write(chunk) {
          if (over || chunk.length === 0) return;
          const into = room(chunk.length);
          chunk.copy(into, used);
          ops.push([1, file, used, used + chunk.length]);
          used += chunk.length;
        },
        end: () => void (over || ops.push([2, file])),
      };
      return scan;
    },
    full(onResume) {
      if (over || pending <= options.maxPendingBytes) return false;
      resume = onResume;
      return true;
    },
    finish() {
      if (failure) return Promise.reject(failure.error);
      flush();
      post({ kind: 'finish', session: id }, []);
      return new Promise((resolve, reject) => (settle = { resolve, reject }));
    },
    abort() {
      if (over) return;
      post({ kind: 'abort', session: id }, []);
      end();
    },
    acked(buffer, bytes) {
      pending -= bytes;
      if (buffer !== null) options.buffers.give(buffer);
      // Resumed at half the budget, not just under it, so the reader is not paused and resumed per batch.
      if (resume !== null && pending <= options.maxPendingBytes / 2) {
        const go = resume;
        resume = null;
        go();
      }
    },
    found(findings) {
      if (over) return;
      end();
      settle?.resolve(findings);
    },
    failed(error) {
      if (over) return;
      failure = { error };
      end();
      if (settle) settle.reject(error);
      else options.onError(error);
    },
  };
}
