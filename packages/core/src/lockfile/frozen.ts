/**
 * Frozen mode (`--frozen-lockfile`, for CI): the lockfile must already answer the manifest. It
 * is checked without resolving, so CI fails fast, offline, and never rewrites synapse.lock.
 */
import { RegistryError } from '../errors.ts';
import type { Lockfile } from './format.ts';

/** What differs between the lockfile's root and the manifest's dependencies (empty when in sync). */
export function lockDrift(lock: Lockfile | null, dependencies: Readonly<Record<string, string>>): string[] {
  if (lock === null) return ['synapse.lock is missing'];
  const changes: string[] = [];
  for (const [name, range] of Object.entries(dependencies)) {
    if (lock.root[name] === undefined) changes.push(`${name} ${range} is not in it`);
    else if (lock.root[name] !== range) changes.push(`${name} is locked for ${lock.root[name]}, synapse.json asks ${range}`);
  }
  for (const name of Object.keys(lock.root)) if (!(name in dependencies)) changes.push(`${name} is no longer in synapse.json`);
  return changes;
}

/** Throws `lockfile_outdated` (listing every difference) unless the lockfile matches the manifest. */
export function assertFrozen(lock: Lockfile | null, dependencies: Readonly<Record<string, string>>): asserts lock is Lockfile {
  const changes = lockDrift(lock, dependencies);
  if (changes.length === 0) return;
  const message =
    lock === null
      ? 'synapse.lock is missing, and frozen mode does not create one'
      : `synapse.lock does not match synapse.json (${changes.join('; ')})`;
  throw new RegistryError(409, 'lockfile_outdated', message, { data: { changes } });
}
