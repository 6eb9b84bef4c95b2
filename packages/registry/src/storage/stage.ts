import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, finished, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../../../core/src/errors.ts';
import { isBlobKey } from './blob-key.ts';
import type { StagedBlob } from './blob-store.ts';

/** Staged files carry this shape so cleanup never touches anything else in a shared temp dir. */
const STAGED_NAME = /^synapse-blob-[0-9a-f-]{36}\.part$/;

function tooLarge(maxBytes: number): RegistryError {
  return new RegistryError(413, 'tarball_too_large', `The tarball is larger than the ${maxBytes}-byte limit`, {
    data: { maxBytes },
  });
}

/**
 * Streams `input` into a fresh temp file in `dir`, computing sha256, sha512 and the size on the
 * way through. Throws 413 `tarball_too_large` the moment more than `maxBytes` arrive; the temp
 * file is removed on every failure.
 */
export async function stageToFile(input: Readable, options: { dir: string; maxBytes: number }): Promise<StagedBlob> {
  const { dir, maxBytes } = options;
  if (input.errored) throw input.errored;
  if (input.destroyed && !input.readableEnded) throw new Error('The upload stream was already destroyed');

  const path = join(dir, `synapse-blob-${randomUUID()}.part`);
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) return callback(tooLarge(maxBytes));
      sha256.update(chunk);
      sha512.update(chunk);
      callback(null, chunk);
    },
  });

  // pipe() instead of pipeline() for this hop: pipeline would destroy `input` on a limit error,
  // and destroying an HTTP request kills the socket before the 413 can be sent. pipe() only
  // unpipes (which pauses the input), so reading stops and the caller keeps control.
  const stopWatching = finished(input, { writable: false }, (err) => {
    if (err) measure.destroy(err);
  });
  input.pipe(measure);
  const file = createWriteStream(path, { flags: 'wx' });
  // A failed upload destroys the file stream while its open may still be on the thread pool; that
  // open can then fail (or succeed) after the pipeline has settled and dropped its listeners. The
  // pipeline reports the first error; this listener keeps a late one from crashing the process.
  file.on('error', () => {});
  try {
    await pipeline(measure, file);
  } catch (err) {
    input.unpipe(measure);
    // Wait for the stream to close, so a late open cannot create the file after it is removed.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    await rm(path, { force: true });
    throw err;
  } finally {
    stopWatching();
  }

  return {
    path,
    size,
    sha256: sha256.digest('hex'),
    sha512: sha512.digest('base64'),
    discard: () => rm(path, { force: true }),
  };
}

/** Refuses to commit a file that this store did not stage, so commit cannot move arbitrary files. */
export function assertStagedIn(staged: StagedBlob, dir: string): void {
  if (dirname(staged.path) !== dir || !STAGED_NAME.test(basename(staged.path)) || !isBlobKey(staged.sha256)) {
    throw new Error(`Not a blob staged by this store: ${staged.path}`);
  }
}

/** Deletes staged files left behind by a crash; returns how many went. */
export async function removeStaleStaging(dir: string, maxAgeMs: number): Promise<number> {
  const cutoff = Date.now() - maxAgeMs;
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!STAGED_NAME.test(name)) continue;
    const path = join(dir, name);
    try {
      if ((await stat(path)).mtimeMs >= cutoff) continue;
      await rm(path, { force: true });
      removed++;
    } catch (err) {
      // Another process may have committed or cleaned it meanwhile.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
