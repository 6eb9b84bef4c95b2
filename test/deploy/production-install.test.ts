/**
 * A production install runs on the production dependencies alone (README "Installing for
 * production"): from a folder holding what a deploy holds and only the packages `npm ci --omit=dev`
 * installs (test/helpers/production-deploy.ts), the server starts and serves (its worker threads
 * included), the client registers, publishes and reads back, `npm run reindex` and
 * `npm run sweep-blobs` work, and neither tsx nor esbuild can be reached. Without dist/, each entry
 * point and the lifecycle build step fail saying how to build.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDeploy, missingBundles, PRESERVE_SYMLINKS } from '../helpers/production-deploy.ts';
import { killAllSpawned, spawnRegistry, TEST_SECRET_KEY, type SpawnedRegistry } from '../helpers/spawn-registry.ts';

const BUNDLES = [
  'registry.mjs',
  'readme-render-worker.mjs',
  'secret-scan-worker.mjs',
  'synapse.cjs',
  'synapse-cli/command-line.mjs',
  'reindex.mjs',
  'sweep-blobs.mjs',
];
const PASSWORD = 'correct-horse-battery-9';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in the deploy with exactly the given environment (plus PATH); never throws. */
function run(command: string, args: string[], options: { cwd: string; env: Record<string, string>; input?: string }): Promise<Run> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH ?? '', NODE_OPTIONS: PRESERVE_SYMLINKS, npm_config_update_notifier: 'false', ...options.env };
    const child = execFile(command, args, { cwd: options.cwd, env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

describe('a production install (dependencies only, bundles from dist/)', () => {
  let deploy: string;
  let home: string;
  let registry: SpawnedRegistry;
  let serverEnv: Record<string, string>;

  before(async () => {
    const missing = missingBundles(BUNDLES);
    assert.deepEqual(missing, [], 'npm test builds dist/ first (pretest); run npm run build before running this file alone');
    deploy = makeDeploy({ withDist: true });
    home = await mkdtemp(join(tmpdir(), 'registry-deploy-home-'));
    serverEnv = {
      HOME: home,
      REGISTRY_ENV: 'production',
      REGISTRY_SECRET_KEY: TEST_SECRET_KEY,
      REGISTRY_PUBLIC_URL: 'http://registry.test',
      REGISTRY_DATA_DIR: join(home, 'data'),
    };
    registry = await spawnRegistry({
      cwd: deploy,
      // Both worker threads start from the deploy's dist/ (the secret scan one by default only past two cores).
      env: { ...serverEnv, NODE_OPTIONS: PRESERVE_SYMLINKS, REGISTRY_SECRET_SCAN_THREAD: 'true' },
    });
  });
  after(async () => {
    await killAllSpawned();
    await rm(deploy, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  test('tsx and esbuild are not installed there; the lifecycle build step keeps the bundles', async () => {
    // The deploy's node_modules is what the lockfile installs; npm ci refuses a lockfile out of step with package.json.
    const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8'));
    const pkg = JSON.parse(await readFile(join(deploy, 'package.json'), 'utf8'));
    assert.deepEqual(lock.packages[''].dependencies, pkg.dependencies, 'package-lock.json lists the dependencies package.json does');
    const require = createRequire(join(deploy, 'package.json'));
    for (const name of ['tsx', 'esbuild']) assert.throws(() => require.resolve(name), { code: 'MODULE_NOT_FOUND' }, `${name} is reachable`);
    const build = await run(process.execPath, ['scripts/build.mjs'], { cwd: deploy, env: { HOME: home } });
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stderr, /^build: esbuild is not installed .*using the bundles already in dist\/\n$/);
  });

  test('the server answers, and the client registers, publishes and reads back through it', async () => {
    const api = await fetch(`${registry.api}/health/ready`);
    assert.equal(api.status, 200, await api.text());
    const docs = await fetch(`${registry.api}/docs/static/index.html`);
    assert.equal(docs.status, 200, 'Swagger UI serves its files from its package');

    const client = (args: string[], options: { cwd?: string; input?: string } = {}) =>
      run(process.execPath, [join(deploy, 'bin/synapse.mjs'), ...args], {
        cwd: options.cwd ?? home,
        input: options.input,
        env: {
          HOME: home,
          XDG_CONFIG_HOME: join(home, 'config'),
          XDG_CACHE_HOME: join(home, 'cache'),
          SYNAPSE_REGISTRY: registry.url,
          NO_COLOR: '1',
        },
      });
    const { version } = JSON.parse(await readFile(join(deploy, 'package.json'), 'utf8'));
    assert.deepEqual(await client(['--version']), { code: 0, stdout: `synapse ${version}\n`, stderr: '' });

    const register = await client(['pkg', 'register', '-u', 'deployer', '--email', 'deployer@example.com', '--password-stdin'], {
      input: `${PASSWORD}\n`,
    });
    assert.equal(register.code, 0, register.stderr);
    const project = join(home, 'hello');
    await mkdir(join(project, 'src'), { recursive: true });
    await writeFile(
      join(project, 'synapse.json'),
      JSON.stringify({ name: 'hello', version: '1.0.0', description: 'says hello', license: 'MIT' }),
    );
    await writeFile(join(project, 'src', 'main.syn'), 'fn main() {}\n');
    await writeFile(join(project, 'README.md'), '# Hello\n\nSays **hello**.\n');
    const published = await client(['pkg', 'publish'], { cwd: project });
    assert.equal(published.code, 0, `${published.stderr}\nregistry:\n${registry.output()}`);

    const info = await client(['pkg', 'info', 'hello']);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /says hello/);
    assert.match(info.stdout, /1\.0\.0/);
    const page = await (await fetch(`${registry.url}/packages/hello`)).text();
    assert.match(
      page,
      /<p>Says <strong>hello<\/strong>\.<\/p>/,
      `the README was rendered on its thread; the registry said:\n${registry.output()}`,
    );
  });

  test('npm run reindex and npm run sweep-blobs run their bundles on the same data', async () => {
    const [reindex, sweep] = await Promise.all(
      ['reindex', 'sweep-blobs'].map((name) => run('npm', ['run', name], { cwd: deploy, env: serverEnv })),
    );
    assert.equal(reindex.code, 0, reindex.stderr);
    assert.match(reindex.stdout, /^reindexed 1 packages in \d+ ms$/m);
    assert.equal(sweep.code, 0, sweep.stderr);
    assert.match(sweep.stdout, /^1 blobs scanned; 0 older than 24 h unreferenced/m);
    assert.match(sweep.stderr, /using the bundles already in dist\//, 'the pre-script skipped the build');
  });
});

describe('a production install whose dist/ was not built', () => {
  let deploy: string;
  before(() => {
    deploy = makeDeploy({ withDist: false });
  });
  after(() => rm(deploy, { recursive: true, force: true }));

  test('the lifecycle build step and every entry point fail, saying to build with the dev dependencies', async () => {
    const env = { HOME: deploy };
    const build = await run(process.execPath, ['scripts/build.mjs'], { cwd: deploy, env });
    assert.equal(build.code, 1);
    assert.match(
      build.stderr,
      /esbuild is not installed .* dist\/ lacks synapse\.cjs, synapse-cli\/command-line\.mjs, registry\.mjs.*npm ci && npm run build/,
    );
    const entries = [
      ['registry', 'registry.mjs', ['bin/registry.mjs']],
      ['synapse', 'synapse.cjs', ['bin/synapse.cjs', '--version']],
      ['synapse', 'synapse.cjs', ['bin/synapse.mjs', '--version']],
      ['reindex', 'reindex.mjs', ['bin/maintenance.mjs', 'reindex']],
    ] as const;
    for (const [name, file, args] of entries) {
      const res = await run(process.execPath, [...args], { cwd: deploy, env });
      assert.equal(res.code, 1, `${args[0]}: ${res.stdout}${res.stderr}`);
      assert.match(
        res.stderr,
        new RegExp(`^Cannot start ${name}: dist/${file.replace('.', '\\.')} is missing and tsx is not installed .*npm run build`),
      );
    }
  });
});
