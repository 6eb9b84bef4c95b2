/**
 * The ending every `npm run <maintenance command>` shares: options that do not parse print the usage
 * (exit 2); a configuration error prints its message, any other error its stack (exit 1).
 */
import { ConfigError } from './config/index.ts';

export async function runCommand<O>(options: { parse: () => O | null; usage: string; main: (options: O) => Promise<void> }): Promise<void> {
  const parsed = options.parse();
  if (!parsed) {
    console.error(options.usage);
    process.exitCode = 2;
    return;
  }
  try {
    await options.main(parsed);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  }
}
