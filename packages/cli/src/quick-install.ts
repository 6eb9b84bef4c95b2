/**
 * `synapse pkg install` when nothing is to install, answered without the installer: no commander,
 * resolver, HTTP client, tar or spinner loads, only a few files are read and the installed folders
 * stat'ed. Nothing is to install when synapse.json and synapse.lock are byte for byte what the last
 * install recorded (.synapse-state.json), the registry and the client are the same, and every
 * package folder is as that install left it (install-state.ts). On any doubt (another command line,
 * a file that does not read or parse, a setting the full command would refuse) it answers nothing
 * and the full command runs: it can only be slower, never different.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeToFd } from './fd-write.ts';
import { describeInstall, upToDateSummary } from './install-summary.ts';
import { readInstallState, upToDate } from './install-state.ts';
import { configFile, type Env } from './paths.ts';
import { findProjectDir, LOCK_FILE, MANIFEST_FILE, MODULES_DIR } from './project-files.ts';
import { pickRegistry, pickTimeout, type UserConfig } from './registry-choice.ts';
import { colorEnabled, paintPrefix } from './style.ts';
import { terminalJson, terminalSafe } from './terminal-text.ts';
import { CLIENT_VERSION } from './version.ts';

export interface QuickFlags {
  json: boolean;
  verbose: boolean;
  registry?: string;
}

// The options of `pkg` and `pkg install` that change nothing when nothing is to install.
const SWITCHES: Record<string, 'json' | 'verbose' | null> = {
  '--json': 'json',
  '-v': 'verbose',
  '--verbose': 'verbose',
  '-q': null,
  '--quiet': null,
  '--frozen-lockfile': null,
  '--offline': null,
};

/** The options of a `synapse pkg install` with no package named; null for any other command line. */
export function quickInstallFlags(argv: readonly string[]): QuickFlags | null {
  if (argv[0] !== 'pkg') return null;
  const flags: QuickFlags = { json: false, verbose: false };
  let command = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === 'install' || arg === 'i') {
      if (command) return null; // `pkg install i`: a package named i, which is add.
      command = true;
    } else if (arg === '--registry' || arg.startsWith('--registry=')) {
      const value = arg === '--registry' ? argv[++i] : arg.slice('--registry='.length);
      if (flags.registry !== undefined || value === undefined || value.startsWith('-')) return null;
      flags.registry = value;
    } else if (Object.hasOwn(SWITCHES, arg)) {
      const name = SWITCHES[arg];
      if (name) flags[name] = true;
    } else {
      return null;
    }
  }
  return command ? flags : null;
}

// Synchronous reads: a handful of small files, and no thread pool to start for them.
function readIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const readText = (path: string) => readIfExists(path)?.toString('utf8') ?? null;

/** The number of installed packages when nothing is to install; null when an install may be needed. */
async function nothingToInstall(flags: QuickFlags, cwd: string, env: Env): Promise<number | null> {
  const dir = findProjectDir(cwd);
  if (dir === null) return null;
  const modulesDir = join(dir, MODULES_DIR);
  const manifestText = readText(join(dir, MANIFEST_FILE));
  const state = readInstallState(modulesDir);
  // Byte for byte the manifest an install accepted, by this client: it passes the same checks again.
  if (manifestText === null || state === null || state.client !== CLIENT_VERSION || state.manifest !== manifestText) return null;
  const lock = readIfExists(join(dir, LOCK_FILE));
  // As readUserConfig reads it; a file that does not parse throws, and the full command reports it.
  const userText = readText(configFile(env));
  const user = ((userText === null ? null : JSON.parse(userText)) ?? {}) as UserConfig;
  pickTimeout(undefined, env, user.timeout);
  const manifest = JSON.parse(manifestText) as { registry?: unknown; dependencies?: Record<string, string> };
  const { url: registry } = await pickRegistry({ flag: flags.registry, env, manifest: async () => manifest, user: async () => user });
  const dependencies = { ...manifest.dependencies };
  return upToDate({ modulesDir, state, lock, dependencies, registry }) ? Object.keys(state.packages).length : null;
}

export interface QuickInstallOptions {
  cwd: string;
  env: Env;
}

/**
 * Prints what `synapse pkg install` prints when nothing is to install and resolves to true; resolves
 * to false, having printed nothing, when the full command must run.
 */
export async function quickInstall(argv: readonly string[], options: QuickInstallOptions): Promise<boolean> {
  const flags = quickInstallFlags(argv);
  if (flags === null) return false;
  const packages = await nothingToInstall(flags, options.cwd, options.env).catch(() => null);
  if (packages === null) return false;
  const summary = upToDateSummary(packages);
  if (flags.verbose || options.env.SYNAPSE_DEBUG) {
    writeToFd(2, 'synapse.json, synapse.lock and synapse_modules are as the last install left them (quick check)\n');
  }
  let text = flags.json ? terminalJson(summary) : terminalSafe(describeInstall(summary));
  // Only a line that paintPrefix would colour asks whether stdout is a terminal (which makes the stream).
  if (!flags.json && /^(error|warning):/m.test(text)) text = paintPrefix(text, colorEnabled(process.stdout, options.env));
  writeToFd(1, `${text}\n`);
  return true;
}
