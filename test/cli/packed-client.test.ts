/**
 * The standalone client package (packages/cli) as a user gets it: `npm pack` there (its prepack
 * builds the bundle), `npm install -g` of the tarball into a fresh prefix without the network, then
 * the installed `synapse` run from a folder outside the repository with a PATH holding only Node,
 * against a real registry. One pack and one install for the whole file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PASSWORD, publish, signUp, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import type { CliResult } from './cli.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const MAX_UNPACKED = 2 * 1024 * 1024;

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let registry: TestRegistry;
let work: string;
let packed: PackResult;
let installed: string;

/** npm as a user runs it: none of the npm_* variables `npm test` sets, its own cache, no network. */
function npmEnv(): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => !/^npm_/i.test(k) && v !== undefined)) as Record<
    string,
    string
  >;
  return { ...env, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
}

before(async () => {
  registry = await startRegistry();
  const { token } = await signUp(registry.api);
  const res = await publish(registry.api, token, { name: 'log', version: '1.0.0', description: 'log package' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  work = await realpath(await mkdtemp(join(tmpdir(), 'synapse-packed-client-')));
  assert.ok(!work.startsWith(repo), `the temp folder ${work} must lie outside the repository`);
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: join(repo, 'packages/cli'),
    env: npmEnv(),
    timeout: 60_000,
  });
  packed = JSON.parse(pack.stdout)[0];
  const prefix = join(work, 'prefix');
  await run('npm', ['install', '-g', '--prefix', prefix, join(work, packed.filename), '--offline', '--no-audit', '--no-fund'], {
    cwd: work,
    env: npmEnv(),
    timeout: 60_000,
  });
  installed = join(prefix, 'lib/node_modules/synapse-cli');
});

after(async () => {
  await registry.close();
  await rm(work, { recursive: true, force: true });
});

/** The installed executable, with Node alone on the PATH and HOME and the XDG folders under the temp folder. */
function synapse(args: string[], options: { cwd: string; input?: string }): Promise<CliResult> {
  const env = {
    PATH: dirname(process.execPath),
    HOME: join(work, 'home'),
    XDG_CONFIG_HOME: join(work, 'config'),
    XDG_CACHE_HOME: join(work, 'cache'),
    NO_COLOR: '1',
    SYNAPSE_REGISTRY: registry.url,
  };
  return new Promise((resolve) => {
    const child = execFile(join(work, 'prefix/bin/synapse'), args, { cwd: options.cwd, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

test('the packed tarball holds only what runs: no sources, tests, source maps, native modules or dependencies', async (t) => {
  t.diagnostic(`tarball ${packed.size} bytes, unpacked ${packed.unpackedSize} bytes, ${packed.files.length} files`);
  const paths = packed.files.map((f) => f.path);
  assert.deepEqual(
    paths.filter((p) => !/^(bin|dist)\/|^package\.json$|^README\.md$/.test(p)),
    [],
  );
  assert.deepEqual(
    paths.filter((p) => /\.(ts|map|node)$|(^|\/)(src|test)\//.test(p)),
    [],
  );
  assert.ok(paths.includes('dist/THIRD-PARTY-LICENSES.txt'), 'the bundled packages travel with their license notices');
  assert.ok(packed.unpackedSize < MAX_UNPACKED, `unpacked ${packed.unpackedSize} bytes`);
  const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
  assert.deepEqual([manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies], [undefined, undefined, undefined]);
});

test('the installed package has no node_modules, no native module, and imports only Node modules', async (t) => {
  const entries = await readdir(installed, { recursive: true, withFileTypes: true });
  assert.deepEqual(
    entries.filter((e) => e.name === 'node_modules' || e.name.endsWith('.node')).map((e) => e.name),
    [],
  );
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
  t.diagnostic(`installed ${bytes} bytes in ${files.length} files`);
  assert.ok(bytes < MAX_UNPACKED, `installed ${bytes} bytes`);
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const outside = new Set<string>();
  for (const file of files.filter((f) => f.endsWith('.mjs'))) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
      const specifier = m[1] ?? m[2] ?? m[3]!;
      if (!specifier.startsWith('.') && !builtins.has(specifier)) outside.add(specifier);
    }
  }
  assert.deepEqual([...outside], []);
});

test('synapse --version prints the repository version', async () => {
  const { version } = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
  const res = await synapse(['--version'], { cwd: work });
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, `synapse ${version}\n`);
  assert.equal(packed.filename, `synapse-cli-${version}.tgz`);
});

test('init, add a published package, then register and publish, from a folder outside the repository', async () => {
  const app = join(work, 'app');
  await mkdir(app);
  const init = await synapse(['pkg', 'init', '--description', 'An app'], { cwd: app });
  assert.equal(init.code, 0, init.stderr);
  const add = await synapse(['pkg', 'add', 'log'], { cwd: app });
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /\+ log 1\.0\.0/);
  assert.match(await readFile(join(app, 'synapse.lock'), 'utf8'), /^package log 1\.0\.0$/m);
  assert.equal(JSON.parse(await readFile(join(app, 'synapse_modules/log/synapse.json'), 'utf8')).version, '1.0.0');

  // Publishing builds the archive with the bundled tar and checks it with the bundled reader.
  const username = uniqueName('packed');
  const register = await synapse(['pkg', 'register', '-u', username, '--email', `${username}@example.com`, '--password-stdin'], {
    cwd: app,
    input: `${PASSWORD}\n`,
  });
  assert.equal(register.code, 0, register.stderr);
  const published = await synapse(['pkg', 'publish'], { cwd: app });
  assert.equal(published.code, 0, published.stderr);
  const info = await fetch(`${registry.api}/packages/app`);
  assert.equal(info.status, 200);
});
