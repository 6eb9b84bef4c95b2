/**
 * Builds a package's `.tgz` the way the registry expects it: every file under `package/`, the
 * manifest at `package/synapse.json`, deterministic bytes (sorted, portable headers, fixed
 * mtime), then read back through the registry's own tarball inspection so anything it would
 * refuse is refused here first.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { create, type WriteEntry } from 'tar';
import { inspectTarball, installedMode, type TarballFile } from '../../core/src/tarball/index.ts';
import type { Manifest } from '../../core/src/tarball/manifest.ts';
import { RegistryError } from '../../core/src/errors.ts';
import { userError } from './errors.ts';
import { MANIFEST_FILE } from './project.ts';

// Never packed: version control, installed dependencies, the lock, earlier tarballs, dotfiles
// (which is where secrets such as .env live).
const SKIP_DIRS = new Set(['synapse_modules', 'node_modules']);
const skipFile = (name: string) => name.startsWith('.') || name.endsWith('.tgz') || name === 'synapse.lock';

export interface PackedTarball {
  manifest: Manifest;
  filename: string;
  bytes: Buffer;
  files: TarballFile[];
  size: number;
  unpackedSize: number;
  integrity: string;
  checksum: string;
}

async function collect(root: string, dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const rel = relative(root, path).split(sep).join('/');
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
      await collect(root, path, out);
    } else if (entry.isFile()) {
      if (!skipFile(entry.name)) out.push(rel);
    } else if (!skipFile(entry.name)) {
      const kind = (await lstat(path)).isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
      throw userError(
        'pack_special_file',
        `${rel} is ${kind}; packages hold only regular files and folders`,
        'Replace it with a copy of the file, or move it out of the package folder.',
      );
    }
  }
}

/**
 * Modes as the registry accepts and the client installs them: 0644, or 0755 when executable by
 * anyone. A local setuid bit or a 0777 checkout (common on shared mounts) must not fail the publish.
 */
function normaliseMode(entry: WriteEntry): void {
  if (entry.stat)
    entry.stat.mode = (entry.stat.mode & ~0o7777) | installedMode(entry.type === 'Directory' ? 'dir' : 'file', entry.stat.mode);
}

/** Packs the package in dir and checks it as the registry will. */
export async function packDirectory(dir: string): Promise<PackedTarball> {
  const manifestText = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => null);
  if (manifestText === null) throw userError('manifest_missing', `No ${MANIFEST_FILE} in ${dir}`, 'Run synapse pkg init first.');
  const files: string[] = [];
  await collect(dir, dir, files);
  // The manifest first, so a streaming reader knows the package before the rest arrives.
  files.sort((a, b) => (a === MANIFEST_FILE ? -1 : b === MANIFEST_FILE ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const chunks: Buffer[] = [];
  const stream = create(
    { gzip: true, cwd: dir, prefix: 'package', portable: true, mtime: new Date(0), noDirRecurse: true, onWriteEntry: normaliseMode },
    files,
  );
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  let contents;
  try {
    contents = await inspectTarball(Readable.from([bytes]));
  } catch (error) {
    if (error instanceof RegistryError) {
      const fields = error.errors?.map((e) => `  ${e.field}: ${e.message}`).join('\n');
      throw userError(
        error.code,
        fields ? `${error.message}\n${fields}` : error.message,
        `Fix ${MANIFEST_FILE} or the files, then pack again.`,
      );
    }
    throw error;
  }
  const { manifest } = contents;
  return {
    manifest,
    filename: `${manifest.name}-${manifest.version}.tgz`,
    bytes,
    files: contents.files,
    size: bytes.length,
    unpackedSize: contents.unpackedSize,
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    checksum: createHash('sha256').update(bytes).digest('hex'),
  };
}
