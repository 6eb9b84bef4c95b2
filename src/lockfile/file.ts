import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseLockfile, serializeLockfile, type Lockfile } from './format.ts';

/** Reads and parses a lockfile; null when there is none. */
export async function readLockfile(path: string): Promise<Lockfile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseLockfile(text);
}

/**
 * Writes the lockfile atomically: a temporary file beside it, fsynced, then renamed over it, so
 * a crash leaves the old file or the new one, never half of one. Returns false (and writes
 * nothing) when the bytes would not change.
 */
export async function writeLockfile(path: string, lock: Lockfile): Promise<boolean> {
  const text = serializeLockfile(lock);
  const current = await readFile(path, 'utf8').catch(() => null);
  if (current === text) return false;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flush: true });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return true;
}
