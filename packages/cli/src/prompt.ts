/**
 * Questions on a terminal (login, register), and secrets read from stdin for scripts.
 */
import { createInterface } from 'node:readline';
import { CliError } from './errors.ts';

/** The shell's code for a command stopped by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

export const interrupted = () => new CliError(EXIT_INTERRUPTED, 'interrupted', 'Interrupted');

/**
 * Asks one question on the terminal; with `secret`, what is typed is not echoed. Ctrl-C rejects
 * with `interrupted` (after a newline, so the shell prompt starts on its own line); Ctrl-D
 * answers with an empty string.
 */
export function ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (options.secret) {
      // Echo nothing after the question: readline writes typed characters through this hook.
      const write = rl as unknown as { _writeToOutput: (s: string) => void };
      write._writeToOutput = (s: string) => {
        if (s.startsWith(question)) process.stderr.write(question);
      };
    }
    let settled = false;
    rl.on('SIGINT', () => {
      settled = true;
      rl.close();
      process.stderr.write('\n');
      reject(interrupted());
    });
    rl.on('close', () => {
      if (settled) return;
      settled = true;
      process.stderr.write('\n');
      resolve('');
    });
    rl.question(question, (answer) => {
      settled = true;
      rl.close();
      if (options.secret) process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** Reads all of stdin, without the final newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
