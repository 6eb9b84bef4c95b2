/**
 * One wrk run (Debian's `wrk`: a multi-threaded C load generator, so the generator's own cost stays
 * small beside the server's) over the paths in a file (see bench/wrk/paths.lua), parsed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = new URL('../wrk/paths.lua', import.meta.url).pathname;

export interface WrkResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx and 3xx, plus socket errors and timeouts. */
  non2xx: number;
}

/** `1.23ms`, `456.00us`, `1.02s` → milliseconds. */
export function wrkMs(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  if (!m) throw new Error(`not a wrk duration: ${text}`);
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as const)[m[2] as 'us' | 'ms' | 's'];
}

export async function runWrk(options: {
  url: string;
  paths: string;
  seconds: number;
  connections?: number;
  threads?: number;
}): Promise<WrkResult> {
  const { url, paths, seconds } = options;
  const args = [`-t${options.threads ?? 2}`, `-c${options.connections ?? 50}`, `-d${seconds}s`, '--latency', '-s', SCRIPT, url];
  const { stdout } = await run('wrk', args, { env: { ...process.env, PATHS: paths }, timeout: (seconds + 30) * 1000 });
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]),
    p50Ms: wrkMs(/ 50%\s+([\d.]+\w+)/.exec(stdout)?.[1]),
    p99Ms: wrkMs(/ 99%\s+([\d.]+\w+)/.exec(stdout)?.[1]),
    non2xx:
      Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0) +
      (errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
  };
}
