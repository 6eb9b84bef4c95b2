/**
 * A worker thread's file: beside the server bundle when running from dist/ (built as its own entry
 * by scripts/build.mjs), the TypeScript source otherwise, with tsx loaded in the thread unless the
 * process already passes it on.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `from` is the caller's import.meta.url; `name` the worker's file name without its extension. */
export function workerEntry(from: string, name: string, what: string): { filename: string; execArgv: string[] | undefined } {
  const fromSource = from.endsWith('.ts');
  const filename = fileURLToPath(new URL(`./${name}${fromSource ? '.ts' : '.mjs'}`, from));
  // Checked now: a missing worker file would otherwise only show as work that never finishes.
  if (!existsSync(filename)) throw new Error(`The ${what} worker is missing: ${filename} (run npm run build)`);
  const hasTsx = process.execArgv.some((arg) => arg.includes('tsx'));
  // Otherwise the thread inherits the process's options: passing process.execArgv back explicitly
  // fails on Node 24, whose execArgv under its test runner lists options a worker may not take.
  const execArgv = fromSource && !hasTsx ? ['--import', import.meta.resolve('tsx')] : undefined;
  return { filename, execArgv };
}
