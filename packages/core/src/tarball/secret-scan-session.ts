/**
 * One archive's secret scan, file after file: the tar reader opens each file, writes its chunks and
 * ends it, then asks for the findings. Inline here (the client, the tests, and the registry when
 * REGISTRY_SECRET_SCAN_THREAD=false); secret-scan-thread.ts runs the same session on a worker thread.
 */
import { createSecretScanner, type SecretFinding } from './secret-scan.ts';

/** Findings kept for a whole archive: enough to name what to fix. */
export const MAX_SECRET_FINDINGS = 50;

export interface FileScan {
  write(chunk: Buffer): void;
  end(): void;
}

export interface SecretScanSession {
  /** A file's scan, or null when nothing more is wanted; its chunks go to write() in order, then end(). */
  open(path: string): FileScan | null;
  /**
   * True when too many bytes wait to be scanned: the caller stops feeding and `resume` runs once
   * enough are done (inline, never).
   */
  full(resume: () => void): boolean;
  /** Every file's findings in file order (at most MAX_SECRET_FINDINGS), once all are scanned. */
  finish(): Promise<SecretFinding[]>;
  /** Drops the scan (the archive was refused); findings never come. */
  abort(): void;
}

/** Where sessions run: `onError` hears of a scan that can no longer finish (its thread died). */
export interface SecretScanSessions {
  session(onError: (error: unknown) => void): SecretScanSession;
}

export function inlineScanSession(): SecretScanSession {
  const found: SecretFinding[] = [];
  return {
    open(path) {
      // Files after enough findings are not read: what is kept is the first MAX_SECRET_FINDINGS.
      if (found.length >= MAX_SECRET_FINDINGS) return null;
      const scanner = createSecretScanner(path);
      return { write: (chunk) => scanner.write(chunk), end: () => void found.push(...scanner.end()) };
    },
    full: () => false,
    finish: () => Promise.resolve(found.slice(0, MAX_SECRET_FINDINGS)),
    abort() {},
  };
}
