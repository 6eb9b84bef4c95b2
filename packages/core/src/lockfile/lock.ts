import { RegistryError } from '../errors.ts';
import { resolve, type Resolution } from '../resolver/resolve.ts';
import type { PackageSource } from '../resolver/source.ts';
import { serializeLockfile, type Lockfile } from './format.ts';

export interface LockOptions {
  /** The manifest's dependencies (name → range) and, optionally, its name for messages. */
  root: { name?: string; dependencies: Readonly<Record<string, string>> };
  source: PackageSource;
  /** The current lockfile, if any: its versions are kept while the manifest allows. */
  lockfile?: Lockfile | null;
  /** `synapse update NAME…`: these may move; everything else moves only when forced. */
  update?: readonly string[];
}

export interface LockResult {
  lockfile: Lockfile;
  /** False when the new lockfile is byte-identical to the old one. */
  changed: boolean;
  resolution: Resolution;
}

/** Builds the lockfile for a resolution; every package needs a tarball and an integrity. */
export function lockfileFromResolution(dependencies: Readonly<Record<string, string>>, resolution: Resolution): Lockfile {
  return {
    root: { ...dependencies },
    packages: resolution.packages.map((p) => {
      if (p.tarball === undefined || p.integrity === undefined) {
        throw new RegistryError(502, 'registry_error', `${p.name}@${p.version} has no tarball URL or integrity in the registry metadata`);
      }
      return { name: p.name, version: p.version, tarball: p.tarball, integrity: p.integrity, dependencies: { ...p.dependencies } };
    }),
  };
}

/**
 * Resolves the manifest against the registry, keeping locked versions unless the manifest or an
 * `update` forces a move, and returns the lockfile to write. Resolution failures throw
 * ResolutionError. Frozen mode (CI) never resolves: see assertFrozen in frozen.ts.
 *
 * @example
 * const lockfile = await readLockfile('synapse.lock');
 * const result = await lockDependencies({ root: { dependencies: manifest.dependencies }, source, lockfile });
 * if (result.changed) await writeLockfile('synapse.lock', result.lockfile);
 *
 * @example
 * // synapse update log: log moves to its newest allowed version, and only what it forces follows.
 * await lockDependencies({ root, source, lockfile, update: ['log'] });
 */
export async function lockDependencies(options: LockOptions): Promise<LockResult> {
  const previous = options.lockfile ?? null;
  const update = options.update ?? [];
  for (const name of update) {
    if (!(name in options.root.dependencies) && !previous?.packages.some((p) => p.name === name)) {
      throw new RegistryError(400, 'unknown_dependency', `${name} is neither a dependency nor in synapse.lock`);
    }
  }
  const locked = new Map((previous?.packages ?? []).map((p) => [p.name, p.version]));
  const resolution = await resolve({ root: options.root, source: options.source, locked, update });
  const lockfile = lockfileFromResolution(options.root.dependencies, resolution);
  const changed = previous === null || serializeLockfile(previous) !== serializeLockfile(lockfile);
  return { lockfile, changed, resolution };
}
