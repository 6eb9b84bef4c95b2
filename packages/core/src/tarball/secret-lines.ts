/**
 * Line numbers for secret findings, which the scan reports as byte offsets (see secret-scan.ts): the
 * archive is read again through the one reader, and only the files with findings have their line
 * breaks counted, each up to its last finding. Runs only for a publish with findings.
 */
import type { Readable } from 'node:stream';
import { inspectTarball, type TarballLimits } from './inspect.ts';
import type { SecretFinding } from './secret-scan.ts';
import type { FileScan, SecretScanSessions } from './secret-scan-session.ts';

export interface NumberedFinding extends SecretFinding {
  /** 1-based. */
  line: number;
}

/** Line breaks in text[from, to). */
function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Counts a file's line breaks up to each offset (ascending) and hands over the line each is on. */
function lineCounter(offsets: readonly number[], found: (index: number, line: number) => void): FileScan {
  let at = 0;
  let breaks = 0;
  let next = 0;
  return {
    write(chunk) {
      if (next >= offsets.length) return;
      const text = chunk.toString('latin1');
      let from = 0;
      for (; next < offsets.length && offsets[next]! < at + text.length; next++) {
        const to = offsets[next]! - at;
        breaks += countBreaks(text, from, to);
        from = to;
        found(next, breaks + 1);
      }
      if (next < offsets.length) breaks += countBreaks(text, from, text.length);
      at += text.length;
    },
    end() {
      for (; next < offsets.length; next++) found(next, breaks + 1);
    },
  };
}

/** The findings' indexes by the archived path of their file, each list in offset order. */
function byEntry(findings: readonly SecretFinding[]): Map<string, number[]> {
  const files = new Map<string, number[]>();
  findings.forEach((f, i) => files.set(f.entry, [...(files.get(f.entry) ?? []), i]));
  for (const indexes of files.values()) indexes.sort((a, b) => findings[a]!.offset - findings[b]!.offset);
  return files;
}

/**
 * The findings of an archive's scan with their lines, read from the same archive's bytes. `open` is
 * called only when there is a finding: a file stream opened and destroyed at once would still open
 * the file on the thread pool, and fail after the caller has moved it (an error nobody listens to).
 */
export async function numberSecretLines(
  open: () => Readable,
  findings: readonly SecretFinding[],
  limits?: TarballLimits,
): Promise<NumberedFinding[]> {
  if (findings.length === 0) return [];
  const input = open();
  const lines = findings.map(() => 0);
  const files = byEntry(findings);
  const counting: SecretScanSessions = {
    session: () => ({
      open(path) {
        const indexes = files.get(path);
        if (indexes === undefined) return null;
        return lineCounter(
          indexes.map((i) => findings[i]!.offset),
          (k, line) => void (lines[indexes[k]!] = line),
        );
      },
      full: () => false,
      finish: () => Promise.resolve([]),
      abort() {},
    }),
  };
  await inspectTarball(input, limits, { scanSecrets: true, scanThread: counting });
  return findings.map((f, i) => ({ ...f, line: lines[i]! }));
}
