/**
 * Questions on a terminal (login), and secrets read from stdin for scripts.
 */
import { createInterface } from 'node:readline';

/** Asks one question on the terminal; with `secret`, what is typed is not echoed. */
export function ask(question: string, options: { secret?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (options.secret) {
      // Echo nothing after the question: readline writes typed characters through this hook.
      const write = (rl as unknown as { _writeToOutput: (s: string) => void });
      write._writeToOutput = (s: string) => {
        if (s.startsWith(question)) process.stderr.write(question);
      };
    }
    rl.question(question, (answer) => {
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
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
