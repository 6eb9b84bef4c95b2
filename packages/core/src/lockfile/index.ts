/**
 * `synapse.lock`: the text format, atomic file I/O, and locking a manifest against a registry.
 */
export {
  parseLockfile,
  serializeLockfile,
  LOCKFILE_VERSION,
  type Lockfile,
  type LockedPackage,
  type LockLine,
} from './format.ts';
export { readLockfile, writeLockfile } from './file.ts';
export { lockDependencies, lockfileFromResolution, type LockOptions, type LockResult } from './lock.ts';
export { assertFrozen, lockDrift } from './frozen.ts';
