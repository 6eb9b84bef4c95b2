/**
 * Runs the real `synapse` executable for CLI tests, with HOME and the XDG folders in a temp
 * folder so nothing touches the user's own config or cache. Asynchronous on purpose: the
 * registry under test runs in this process and must keep answering while the CLI runs.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/synapse.mjs', import.meta.url).pathname;

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
