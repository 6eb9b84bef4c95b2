/**
 * Lays an unpacked package out in a project by hard links from the store, so a thousand
 * projects share one copy on disk; where links are impossible (another file system, a file
 * system without them) it copies instead, and remembers that for the rest of the run.
 */
import { copyFile, link, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackageIndex } from './cache/store.ts';

export interface Linker {
  /** Creates `dest` (which must not exist) with the package's tree. */
  place(source: string, index: PackageIndex, dest: string): Promise<void>;
  /** `link`, or `copy` once a link failed. */
  readonly method: 'link' | 'copy';
}

const NO_LINKS = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS', 'EACCES']);

export function createLinker(): Linker {
  let method: 'link' | 'copy' = 'link';
  async function placeFile(from: string, to: string): Promise<void> {
    if (method === 'link') {
      try {
        await link(from, to);
        return;
      } catch (error) {
        if (!NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        method = 'copy';
      }
    }
    // COPYFILE_EXCL: never write through something already at the destination.
    await copyFile(from, to, 1);
  }
  return {
    get method() {
      return method;
    },
    async place(source, index, dest) {
      await mkdir(dest, { recursive: true });
      for (const dir of index.dirs) await mkdir(join(dest, dir), { recursive: true });
      await Promise.all(index.files.map((f) => placeFile(join(source, f.path), join(dest, f.path))));
    },
  };
}
