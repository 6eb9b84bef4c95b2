/**
 * `synapse_modules/.synapse-state.json`: what the last install laid out, and for which
 * lockfile and manifest. It lets a re-run with nothing changed stop after a few reads, and
 * lets an install touch only the packages that changed.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const STATE_FILE = '.synapse-state.json';

export interface InstallState {
  /** sha256 of synapse.lock as it was on disk after the install. */
  lock_sha256: string;
  /** The manifest's dependencies the install was made for. */
  root: Record<string, string>;
  packages: Record<string, { version: string; integrity: string }>;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function readInstallState(modulesDir: string): Promise<InstallState | null> {
  try {
    const state = JSON.parse(await readFile(join(modulesDir, STATE_FILE), 'utf8')) as InstallState;
    return typeof state.lock_sha256 === 'string' && state.packages && state.root ? state : null;
  } catch {
    return null;
  }
}

export async function writeInstallState(modulesDir: string, state: InstallState): Promise<void> {
  await writeFile(join(modulesDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Same names with the same ranges, in any order. */
export function sameDependencies(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}
