/**
 * Reading the rest of a refused request body, so the client can finish sending and read the answer.
 * Answering while it still sends, then closing, makes a client such as Node's fetch fail with EPIPE
 * or ECONNRESET instead of showing the 413.
 */
import type { IncomingMessage } from 'node:http';

export interface DrainLimits {
  /** Past this many more bytes the client is cut off rather than read further. */
  maxBytes: number;
  /** A client this slow is cut off too, so a trickle cannot hold the request open. */
  maxMs: number;
}

/** Resolves once the body has ended, or a limit was reached (then the caller closes the connection). */
export function drainBody(raw: IncomingMessage, limits: DrainLimits): Promise<void> {
  if (raw.complete || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limits.maxBytes) done();
    };
    const timer = setTimeout(done, limits.maxMs);
    raw.on('data', onData).once('end', done).once('close', done).once('error', done);
    raw.resume();
  });
}
