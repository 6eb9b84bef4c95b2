/**
 * Where a project's files are: the names, and the project folder found from where a command runs.
 * Apart from project.ts (which validates synapse.json) so the quick no-op install loads neither the
 * manifest rules nor semver.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const MANIFEST_FILE = 'synapse.json';
export const LOCK_FILE = 'synapse.lock';
export const MODULES_DIR = 'synapse_modules';

/**
 * The nearest folder holding synapse.json: dir itself or the closest one above it, as cargo and npm
 * look. Synchronous: a few stats, and a command that starts with nothing else to do does not wait
 * for the thread pool to start.
 */
export function findProjectDir(dir: string): string | null {
  // Bounded by the depth of the path: each step goes one folder up until the root.
  for (let current = dir; ; current = dirname(current)) {
    if (statSync(join(current, MANIFEST_FILE), { throwIfNoEntry: false })?.isFile()) return current;
    if (dirname(current) === current) return null;
  }
}
