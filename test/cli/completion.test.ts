/**
 * Shell completion through the real executable: the bash script, sourced into a real bash,
 * completes commands, options and (for remove, why, update) the package names in the nearest
 * synapse.lock; zsh and fish scripts are emitted (and parsed when those shells are installed).
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { sandbox, type Sandbox } from './cli.ts';

let box: Sandbox;
let script: string;

before(async () => {
  box = await sandbox();
  const res = await box.run(['completion', 'bash']);
  assert.equal(res.code, 0, res.stderr);
  script = join(box.root, 'synapse.bash');
  await writeFile(script, res.stdout);
});

after(() => rm(box.root, { recursive: true, force: true }));

/** What bash offers for the words typed so far (the last one being completed). */
async function complete(words: string[], cwd = box.root): Promise<string[]> {
  const program = `source ${JSON.stringify(script)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _synapse; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await promisify(execFile)('bash', ['--norc', '-c', program], { cwd });
  return stdout.split('\n').filter(Boolean).sort();
}

const hasShell = (shell: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`]);
    return true;
  } catch {
    return false;
  }
};

describe('completion', () => {
  test('bash completes commands, sub-commands and options', async () => {
    assert.deepEqual(await complete(['synapse', '']), ['--help', 'completion', 'pkg']);
    assert.deepEqual(await complete(['synapse', 'pkg', 'ou']), ['outdated']);
    assert.deepEqual(await complete(['synapse', 'pkg', 'token', '']), ['--help', 'create', 'list', 'revoke']);
    assert.deepEqual(await complete(['synapse', 'pkg', 'install', '--fro']), ['--frozen-lockfile']);
    assert.deepEqual(await complete(['synapse', 'pkg', '--json', 'publish', '--d']), ['--dry-run']);
  });

  test('remove, why and update complete the package names in synapse.lock, found from a subfolder', async () => {
    const app = await box.project('app', { name: 'app', version: '1.0.0' });
    const lock = [
      'lockfile 1',
      '',
      'root web ^1.0.0',
      '',
      'package log 1.1.0',
      '  tarball http://x/log.tgz',
      '',
      'package web 1.0.0',
      '  dependency log 1.1.0',
      '',
    ];
    await writeFile(join(app, 'synapse.lock'), lock.join('\n'));
    await mkdir(join(app, 'src'));
    assert.deepEqual(await complete(['synapse', 'pkg', 'why', ''], join(app, 'src')), ['--help', 'log', 'web']);
    assert.deepEqual(await complete(['synapse', 'pkg', 'rm', 'w'], app), ['web']);
    assert.deepEqual(await complete(['synapse', 'pkg', 'update', 'l'], app), ['log']);
    assert.deepEqual(await complete(['synapse', 'pkg', 'add', 'l'], app), [], 'add names new packages, not locked ones');
  });

  test('zsh and fish scripts; another shell is a usage error', async () => {
    for (const shell of ['zsh', 'fish']) {
      const res = await box.run(['completion', shell]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, shell === 'zsh' ? /^#compdef synapse\n/ : /complete -c synapse -f -a '\(__synapse_complete\)'/);
      if (hasShell(shell)) {
        const file = join(box.root, `synapse.${shell}`);
        await writeFile(file, res.stdout);
        execFileSync(shell, ['-n', file]);
      }
    }
    const other = await box.run(['completion', 'tcsh']);
    assert.equal(other.code, 1);
    assert.equal(other.stderr, 'error: No completion for "tcsh"\nUse one of bash, zsh, fish: e.g. synapse completion bash >> ~/.bashrc\n');
  });
});
