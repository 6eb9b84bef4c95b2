import { parseLockfile, serializeLockfile, type Lockfile } from './format.ts';
import { readTextIfExists, writeFileAtomic } from '../files.ts';

/** Reads and parses a lockfile; null when there is none. */
export async function readLockfile(path: string): Promise<Lockfile | null> {
  const text = await readTextIfExists(path);
  return text === null ? null : parseLockfile(text);
}

/**
 * Writes the lockfile atomically: a temporary file beside it, fsynced, then renamed over it, so
 * a crash leaves the old file or the new one, never half of one. Returns false (and writes
 * nothing) when the bytes would not change.
 */
export async function writeLockfile(path: string, lock: Lockfile): Promise<boolean> {
  const text = serializeLockfile(lock);
  if ((await readTextIfExists(path)) === text) return false;
  await writeFileAtomic(path, text, { flush: true });
  return true;
}
