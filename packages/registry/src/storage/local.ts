import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, type FileHandle, mkdir, open, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { RegistryError } from '../../../core/src/errors.ts';
import { assertBlobKey, isBlobKey } from './blob-key.ts';
import { resolveRange } from './blob-range.ts';
import type { BlobReader, BlobStore, StoredBlob } from './blob-store.ts';
import { assertStagedIn, removeStaleStaging, stageToFile } from './stage.ts';

const STALE_STAGING_MS = 60 * 60 * 1000;

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * A reader of a whole file: streamed, or read at once. The stream is made only when asked for, so that
 * a caller reading it whole does not leave a second reader holding the file open.
 */
function wholeFile(handle: FileHandle, size: number): BlobReader {
  return new WholeFile(handle, size);
}

/** A class, not a literal with a getter: V8 makes each such literal a slow-mode object of its own. */
class WholeFile implements BlobReader {
  #stream: Readable | undefined;
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  get stream(): Readable {
    this.#stream ??= this.handle.createReadStream();
    return this.#stream;
  }

  whole(): Promise<Buffer> {
    return readWhole(this.handle, this.size);
  }
}

/** The file's `size` bytes (fewer if it shrank meanwhile, which content-addressed blobs never do), then closes it. */
async function readWhole(handle: FileHandle, size: number): Promise<Buffer> {
  try {
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * A blob store on the local disk: blobs at `<root>/blobs/<aa>/<bb>/<sha256>`, uploads staged in
 * `<root>/.staging` on the same filesystem so that commit is a single atomic rename.
 */
export async function createLocalStore(options: { root: string }): Promise<BlobStore> {
  const root = resolve(options.root);
  const blobsDir = join(root, 'blobs');
  const stagingDir = join(root, '.staging');
  // Folders created here are the registry's own: no other account needs to list them.
  await mkdir(blobsDir, { recursive: true, mode: 0o700 });
  await mkdir(stagingDir, { recursive: true, mode: 0o700 });
  await removeStaleStaging(stagingDir, STALE_STAGING_MS);

  const blobPath = (key: string) => {
    assertBlobKey(key);
    return join(blobsDir, key.slice(0, 2), key.slice(2, 4), key);
  };

  const exists = async (key: string) => {
    try {
      return (await stat(blobPath(key))).isFile();
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  };

  return {
    kind: 'local',

    stage: (input, { maxBytes }) => stageToFile(input, { dir: stagingDir, maxBytes }),

    async commit(staged) {
      assertStagedIn(staged, stagingDir);
      const key = staged.sha256;
      const target = blobPath(key);
      if (await exists(key)) {
        const now = new Date();
        try {
          await utimes(target, now, now);
          await staged.discard();
          return key;
        } catch (err) {
          // Removed meanwhile: store these bytes after all.
          if (!isMissing(err)) throw err;
        }
      }
      await mkdir(dirname(target), { recursive: true });
      // rename() within one filesystem is atomic: readers see no blob or the whole blob.
      await rename(staged.path, target);
      return key;
    },

    async *list(): AsyncIterable<StoredBlob> {
      const entries = await readdir(blobsDir, { recursive: true, withFileTypes: true });
      for (const entry of entries) {
        if (!entry.isFile() || !isBlobKey(entry.name)) continue;
        try {
          yield { key: entry.name, modifiedAt: (await stat(blobPath(entry.name))).mtime };
        } catch (err) {
          // Removed since the listing: nothing to report.
          if (!isMissing(err)) throw err;
        }
      }
    },

    async open(key, range): Promise<BlobReader | null> {
      const path = blobPath(key);
      // Open first, then fstat: the size and the bytes come from the same file even if the key
      // is removed meanwhile.
      let handle;
      try {
        handle = await open(path, 'r');
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
      try {
        const { size } = await handle.stat();
        if (range === undefined) return wholeFile(handle, size);
        const served = resolveRange(range, size);
        return { stream: handle.createReadStream({ start: served.start, end: served.end }), size, range: served };
      } catch (err) {
        await handle.close();
        throw err;
      }
    },

    async remove(key) {
      await rm(blobPath(key), { force: true });
    },

    exists,

    async ping() {
      // A real write catches read-only mounts and permission changes that access() can miss.
      const probe = join(stagingDir, `ping-${randomUUID()}`);
      try {
        await access(blobsDir, constants.R_OK | constants.W_OK);
        await writeFile(probe, 'ok');
        await rm(probe, { force: true });
      } catch (err) {
        throw new RegistryError(503, 'storage_unavailable', 'The blob folder is not writable', { cause: err });
      }
    },

    async downloadUrl(key) {
      assertBlobKey(key);
      return null;
    },
  };
}
