/**
 * An open-model load generator: request i is due at start + i / rate whether or not earlier ones have
 * answered, and its latency runs from that due time, not from when it went out, so a server that
 * falls behind shows its queue in the figures (no coordinated omission). How late the generator
 * itself fired each request (its lag) is kept too, to tell a saturated generator from a slow server.
 */
import { Pool } from 'undici';
import type { Shot } from './mix-plan.ts';

export interface OpenLoopOptions {
  origin: string;
  rate: number;
  count: number;
  shot: (i: number) => Shot;
  /** Requests out at once; a request due while this many are out is not sent and counts as an error. */
  maxInFlight: number;
  connections: number;
  /** Per request, for the headers and for the body. */
  timeoutMs: number;
  /** After the last request is due, how long answers are still awaited; what is still out then counts as an error. */
  drainMs: number;
}

export interface OpenLoopResult {
  /** Milliseconds from due time to the whole body read; NaN where the request failed or was not sent. */
  latencies: Float64Array;
  /** Milliseconds from due time to the moment the generator fired it. */
  lags: Float64Array;
  ok: number;
  /** Answers with another status than expected. */
  wrongStatus: number;
  /** Connection errors and timeouts. */
  failed: number;
  /** Due while `maxInFlight` were out. */
  unsent: number;
  /** Still out when the drain ended. */
  unfinished: number;
  /** Body bytes received. */
  bytes: number;
  /** From the first due time to the last answer (at least the schedule's length). */
  elapsedSeconds: number;
  /** Up to five failures, as `status path` or `error path`. */
  samples: string[];
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const pool = new Pool(options.origin, {
    connections: options.connections,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  const interval = 1000 / options.rate;
  const latencies = new Float64Array(options.count).fill(Number.NaN);
  const lags = new Float64Array(options.count).fill(Number.NaN);
  const result = {
    latencies,
    lags,
    ok: 0,
    wrongStatus: 0,
    failed: 0,
    unsent: 0,
    unfinished: 0,
    bytes: 0,
    elapsedSeconds: 0,
    samples: [] as string[],
  };
  const sample = (text: string) => {
    if (result.samples.length < 5) result.samples.push(text);
  };
  let inFlight = 0;
  let lastAnswer = 0;
  let settled: (() => void) | undefined;
  // Set when the run is over: answers (or errors) that arrive later are not counted.
  let closed = false;
  const start = performance.now() + 20;

  const send = async (i: number, due: number) => {
    const shot = options.shot(i);
    try {
      const response = await pool.request({ method: shot.method, path: shot.path, headers: shot.headers, body: shot.body });
      // Read the whole body: a client has not got its answer before the last byte.
      let bytes = 0;
      for await (const chunk of response.body) bytes += (chunk as Buffer).length;
      if (closed) return;
      result.bytes += bytes;
      lastAnswer = performance.now();
      if (response.statusCode === shot.expect) {
        latencies[i] = lastAnswer - due;
        result.ok++;
      } else {
        result.wrongStatus++;
        sample(`${response.statusCode} ${shot.method} ${shot.path}`);
      }
    } catch (error) {
      if (closed) return;
      result.failed++;
      sample(`${error instanceof Error ? error.message : String(error)} ${shot.method} ${shot.path}`);
    } finally {
      inFlight--;
      if (inFlight === 0) settled?.();
    }
  };

  // Fires everything due by now, then sleeps until the next due time; timers have 1 ms resolution,
  // so a lag of about a millisecond is the generator's floor, not the server's doing.
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      for (; next < options.count && start + next * interval <= now; next++) {
        const due = start + next * interval;
        lags[next] = now - due;
        if (inFlight >= options.maxInFlight) {
          result.unsent++;
          continue;
        }
        inFlight++;
        void send(next, due);
      }
      if (next >= options.count) resolve();
      else setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });

  if (inFlight > 0) {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      settled = resolve;
      timer = setTimeout(resolve, options.drainMs);
    });
    clearTimeout(timer);
  }
  result.unfinished = inFlight;
  closed = true;
  const scheduleEnd = start + options.count * interval;
  result.elapsedSeconds = (Math.max(scheduleEnd, lastAnswer) - start) / 1000;
  // Whatever is still out is abandoned: its late answers must not touch the next run's counts.
  await pool.destroy();
  return result;
}
