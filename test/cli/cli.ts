/**
 * Runs the real `synapse` executable for CLI tests, with HOME and the XDG folders in a temp
 * folder so nothing touches the user's own config or cache. Asynchronous on purpose: the
 * registry under test runs in this process and must keep answering while the CLI runs.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/synapse.cjs', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  root: string;
  home: string;
  config: string;
  cache: string;
  env: Record<string, string>;
  /** A new empty folder under the sandbox, with a synapse.json when given a manifest. */
  project(name: string, manifest?: Record<string, unknown>): Promise<string>;
  run(args: string[], options?: { cwd?: string; env?: Record<string, string>; input?: string }): Promise<CliResult>;
  /** Runs it in a pseudo-terminal: stdout and stderr merged in `stdout`, as a person sees them. */
  runInTerminal(args: string[], options?: TerminalOptions): Promise<CliResult>;
}

export interface TerminalOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** The terminal's width (0: a terminal that reports no size, as some CI runners do). */
  columns?: number;
  /** Typed in order, each once its prompt has appeared since the previous answer. */
  answers?: { after: RegExp; send: string }[];
}

/** The text without CSI sequences (cursor moves, colours), as a person reads it. */
export const withoutCursorMoves = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * util-linux `script` gives the child a real terminal without native modules; -e passes the
 * child's exit code through. Answers wait for their prompt, so readline owns the terminal when
 * they arrive (typed earlier, the terminal would echo them and Ctrl-C would be a signal).
 */
function runInTerminal(env: Record<string, string>, cwd: string, args: string[], options: TerminalOptions): Promise<CliResult> {
  const command = `stty cols ${options.columns ?? 80} rows 24; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  return new Promise((resolve) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd,
      env: { ...env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const answers = [...(options.answers ?? [])];
    let out = '';
    let from = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      // readline moves the cursor after a prompt; prompts are matched without those sequences.
      while (answers.length > 0 && answers[0]!.after.test(withoutCursorMoves(out.slice(from)))) {
        from = out.length;
        child.stdin.write(answers.shift()!.send);
      }
    });
    child.stderr.resume();
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 99, stdout: out, stderr: '' });
    });
  });
}

export async function sandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'synapse-cli-test-'));
  const home = join(root, 'home');
  const config = join(root, 'config');
  const cache = join(root, 'cache');
  await Promise.all([home, config, cache].map((d) => mkdir(d, { recursive: true })));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: config,
    XDG_CACHE_HOME: cache,
    // tsx keeps its compile cache in the system temp folder; keep that shared and fast.
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    NO_COLOR: '1',
  };
  return {
    root,
    home,
    config,
    cache,
    env,
    async project(name, manifest) {
      const dir = join(root, name);
      await mkdir(dir, { recursive: true });
      if (manifest) await writeFile(join(dir, 'synapse.json'), JSON.stringify(manifest, null, 2));
      return dir;
    },
    runInTerminal(args, options = {}) {
      return runInTerminal(env, options.cwd ?? root, args, options);
    },
    run(args, options = {}) {
      return new Promise((resolve) => {
        const child = execFile(
          process.execPath,
          [BIN, ...args],
          { cwd: options.cwd ?? root, env: { ...env, ...options.env }, timeout: 30_000 },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
            resolve({ code, stdout, stderr });
          },
        );
        child.stdin?.end(options.input ?? '');
      });
    },
  };
}

/** Every file under dir, recursively, relative paths sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}
