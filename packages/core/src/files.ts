/**
 * File helpers shared by the lockfile and the client: reads that treat a missing file as null,
 * and writes that never leave half a file behind.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file's text, or null when it does not exist; other errors propagate. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export interface AtomicWriteOptions {
  /** File mode, applied regardless of the umask (e.g. 0o600 for credentials). */
  mode?: number;
  /** Mode of the parent folders it creates. */
  dirMode?: number;
  /** fsync before the rename, so a power cut leaves the old file or the new one. */
  flush?: boolean;
}

/**
 * Writes to a temporary file beside the target, then renames it over the target: readers see the
 * old content or the new, never a mix, and a failure leaves no temporary file.
 *
 * @example
 * await writeFileAtomic('synapse.lock', text, { flush: true });
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true, ...(options.dirMode ? { mode: options.dirMode } : {}) });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data, { flush: options.flush ?? false, ...(options.mode ? { mode: options.mode } : {}) });
    if (options.mode !== undefined) await chmod(temp, options.mode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
