/**
 * Running one command: build the context from the global options, call the handler, print what
 * it returns (or the error) and remember the exit code for main. The only place results print.
 */
import type { Command } from 'commander';
import { createContext, type Context } from './context.ts';
import { EXIT_OK, toCliError } from './errors.ts';
import type { CommandOutput } from './output.ts';
import { progressFor } from './progress.ts';
import { colorEnabled, paintPrefix } from './style.ts';
import { terminalJson, terminalSafe } from './terminal-text.ts';

export interface GlobalOptions {
  registry?: string;
  timeout?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export type Handler = (ctx: Context) => Promise<CommandOutput>;

let exitCode = EXIT_OK;

/** The exit code of the last command run (0 when none failed). */
export const lastExitCode = () => exitCode;
export const resetExitCode = () => void (exitCode = EXIT_OK);

export async function run(command: Command, handler: Handler): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const json = globals.json === true;
  const verbose = globals.verbose === true || Boolean(process.env.SYNAPSE_DEBUG);
  const errColor = colorEnabled(process.stderr, process.env);
  const progress = await progressFor(process.stderr, { json, ci: Boolean(process.env.CI), quiet: globals.quiet === true, color: errColor });
  try {
    const ctx = await createContext({
      cwd: process.cwd(),
      env: process.env,
      registryFlag: globals.registry,
      timeoutFlag: globals.timeout,
      json,
      progress,
      verbose,
    });
    const result = await handler(ctx);
    progress.stop();
    exitCode = result.exitCode ?? EXIT_OK;
    // Everything printed passes through terminalSafe/terminalJson: registry text never drives the terminal.
    process.stdout.write(
      json ? `${terminalJson(result.data)}\n` : `${paintPrefix(terminalSafe(result.text), colorEnabled(process.stdout, process.env))}\n`,
    );
  } catch (thrown) {
    progress.stop();
    const error = toCliError(thrown);
    exitCode = error.exitCode;
    if (json) {
      process.stdout.write(
        `${terminalJson({ error: { code: error.code, message: error.message, hint: error.hint ?? null, ...(error.data ? { data: error.data } : {}) } })}\n`,
      );
    } else if (error.code !== 'interrupted') {
      // Ctrl-C at a prompt already ended the line; the shell needs nothing more.
      process.stderr.write(paintPrefix(terminalSafe(`error: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`), errColor));
    }
    if (verbose && thrown instanceof Error) process.stderr.write(terminalSafe(`${thrown.stack}\n`));
  }
}

/** Registers a sub-command's action; the handler's module loads only when the command runs. */
export function action<A extends unknown[]>(cmd: Command, handler: (ctx: Context, ...args: A) => Promise<CommandOutput>): Command {
  return cmd.action(async (...args: unknown[]) => {
    const self = args[args.length - 1] as Command;
    await run(self, (ctx) => handler(ctx, ...(args.slice(0, -1) as A)));
  });
}
