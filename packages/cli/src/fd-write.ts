/**
 * Writes to stdout or stderr without making `process.stdout` / `process.stderr`: the first touch of
 * either builds a stream, and on a pipe (a CI log, `| cat`) that loads net and stream, about thirty
 * internal modules. The quick paths print one line, so they write to the descriptor directly. On any
 * error (a non-blocking pipe that is full: EAGAIN) the rest goes through the stream as usual.
 */
import { writeSync } from 'node:fs';

export function writeToFd(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(fd, bytes, written);
  } catch {
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(written));
  }
}
