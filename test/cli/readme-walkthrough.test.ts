/**
 * The README's "From nothing to an installed dependency" block, run as written by bash with
 * `synapse` on the PATH, against a real registry: the walk-through a new user follows must work.
 * Only the interactive register is given its answers on stdin (the prompts are tested apart).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { PASSWORD, uniqueName } from '../helpers/client.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { sandbox, type Sandbox } from './cli.ts';

let registry: TestRegistry;
let box: Sandbox;

before(async () => {
  registry = await startRegistry();
  box = await sandbox();
});

after(async () => {
  await registry.close();
  await rm(box.root, { recursive: true, force: true });
});

/** The shell block under the README heading. */
async function walkThrough(): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### From nothing to an installed dependency'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has the walk-through');
  return block[1]!;
}

test('the README walk-through installs a dependency, from nothing and without curl', async () => {
  const script = await walkThrough();
  assert.doesNotMatch(script, /curl/);
  const username = uniqueName('readme');
  const answered = script
    .replace(/^export SYNAPSE_REGISTRY=.*$/m, `export SYNAPSE_REGISTRY=${registry.url}`)
    .replace(
      /^synapse pkg register(.*)$/m,
      `synapse pkg register -u ${username} --email ${username}@example.com --password-stdin <<< '${PASSWORD}'$1`,
    );
  const bin = join(box.root, 'bin');
  await mkdir(bin);
  await writeFile(
    join(bin, 'synapse'),
    `#!/bin/sh\nexec "${process.execPath}" "${new URL('../../bin/synapse.cjs', import.meta.url).pathname}" "$@"\n`,
  );
  await chmod(join(bin, 'synapse'), 0o755);
  const work = await box.project('readme');
  const { stdout } = await promisify(execFile)('bash', ['-e', '-c', answered], {
    cwd: work,
    env: { ...box.env, PATH: `${bin}:${box.env.PATH}` },
  });
  assert.match(stdout, /Published hello@0\.1\.0/);
  assert.match(stdout, /^app 0\.1\.0\n└── hello 0\.1\.0$/m);
  const manifest = JSON.parse(await readFile(join(work, 'app', 'synapse.json'), 'utf8'));
  assert.deepEqual(manifest.dependencies, { hello: '^0.1.0' });
  assert.ok((await readFile(join(work, 'app', 'synapse_modules', 'hello', 'src', 'main.syn'), 'utf8')).includes('fn main'));
});
