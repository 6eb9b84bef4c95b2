/**
 * The command line as commander parses it: every command, each of which loads its own modules
 * only when it runs (see program/), then runs one (see run.ts, the only place that prints
 * results); resolves to the exit code. Loaded by main.ts for anything it does not answer itself.
 */
import { Command, CommanderError } from 'commander';
import { completionScript, completionTree } from './completion.ts';
import { CliError, EXIT_OK, EXIT_USER, toCliError } from './errors.ts';
import { accountCommands } from './program/account.ts';
import { browseCommands } from './program/browse.ts';
import { inspectCommands } from './program/inspect.ts';
import { lifecycleCommands } from './program/lifecycle.ts';
import { ownerCommands } from './program/owners.ts';
import { projectCommands } from './program/project.ts';
import { webhookCommands } from './program/webhooks.ts';
import { lastExitCode, resetExitCode } from './run.ts';
import { colorEnabled, paintPrefix } from './style.ts';
import { terminalSafe } from './terminal-text.ts';

/** Visits every command under (and including) cmd, with its full name (`synapse pkg add`). */
function forEachCommand(cmd: Command, visit: (cmd: Command, path: string) => void, path = cmd.name()): void {
  visit(cmd, path);
  for (const sub of cmd.commands) forEachCommand(sub, visit, `${path} ${sub.name()}`);
}

function buildProgram(): Command {
  const program = new Command('synapse')
    .description('The Synapse language toolchain')
    .addHelpText('after', '\n  -V, --version    print the version (also: synapse pkg --version)')
    .exitOverride();
  const pkg = program
    .command('pkg')
    .description('Manage Synapse packages: install, publish, search')
    .option('--registry <url>', 'registry URL (default: SYNAPSE_REGISTRY, synapse.json "registry", user config, http://127.0.0.1:8080)')
    .option('--json', 'print machine-readable JSON instead of text')
    .option('-q, --quiet', 'print results and errors only: no progress lines, no warnings')
    .option('-v, --verbose', 'log each request to the registry on stderr, and print stack traces with errors')
    .option(
      '--timeout <ms>',
      'wait at most this long for the registry to connect and answer (default: SYNAPSE_TIMEOUT, user config "timeout", 30000)',
    )
    .addHelpText('after', '\n  -V, --version    print the version')
    .exitOverride();

  projectCommands(pkg);
  inspectCommands(pkg);
  accountCommands(pkg);
  ownerCommands(pkg);
  browseCommands(pkg);
  lifecycleCommands(pkg);
  webhookCommands(pkg);
  program
    .command('completion <shell>')
    .description('print a completion script: bash, zsh or fish (e.g. synapse completion bash >> ~/.bashrc)')
    .action((shell: string) => void process.stdout.write(completionScript(shell, completionTree(program))));
  forEachCommand(program, (cmd, path) => {
    // A usage error shows one line pointing at the help, as cargo does, not the whole help.
    cmd.showHelpAfterError(`Run ${path} --help for usage.`);
    cmd.configureOutput({ outputError: (text, write) => write(paintPrefix(text, colorEnabled(process.stderr, process.env))) });
  });
  return program;
}

/** Runs the client with these arguments (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  resetExitCode();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print themselves and exit 0; anything else is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USER;
    }
    const cli = error instanceof CliError ? error : toCliError(error);
    process.stderr.write(
      paintPrefix(terminalSafe(`error: ${cli.message}\n${cli.hint ? `${cli.hint}\n` : ''}`), colorEnabled(process.stderr, process.env)),
    );
    return cli.exitCode;
  }
  return lastExitCode();
}
