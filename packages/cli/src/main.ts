/**
 * `synapse`: the command-line client's entry. It answers `--version`, and `pkg install` when
 * nothing is to install, before anything else loads; every other command line goes to
 * command-line.ts (commander, then only the modules of the command that runs). Starting the
 * client is most of what these two cost, and most of starting is loading modules. Bundled as
 * CommonJS (dist/synapse.cjs, see bin/synapse.cjs), so no top-level await here.
 */
import { writeToFd } from './fd-write.ts';
import { CLIENT_VERSION } from './version.ts';

const VERSION_FLAGS = new Set(['--version', '-V']);

/**
 * `synapse --version` or `synapse pkg --version` alone. By hand, not commander's version option: a
 * parent's option is recognised anywhere on the line, and `pkg init --version 1.0.0` must reach init.
 */
function wantsVersion(argv: readonly string[]): boolean {
  if (argv.length === 1) return VERSION_FLAGS.has(argv[0]!);
  return argv.length === 2 && argv[0] === 'pkg' && VERSION_FLAGS.has(argv[1]!);
}

async function start(argv: string[]): Promise<number> {
  if (wantsVersion(argv)) {
    writeToFd(1, `synapse ${CLIENT_VERSION}\n`);
    return 0;
  }
  if (argv[0] === 'pkg' && (argv.includes('install') || argv.includes('i'))) {
    const { quickInstall } = await import('./quick-install.ts');
    if (await quickInstall(argv, { cwd: process.cwd(), env: process.env })) return 0;
  }
  const { main } = await import('./command-line.ts');
  return main(argv);
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a failed command (command-line.ts reports those): as an uncaught error would be.
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
