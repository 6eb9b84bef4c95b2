/**
 * Unpacks a package tarball into a fresh folder, refusing anything that is not a plain tree of
 * regular files and folders: the registry's own entry checks (paths that could escape, control
 * characters, duplicates, case collisions, layout, entry and size limits) plus the entry types
 * (no symbolic or hard links, devices, FIFOs or unknown types). Nothing is written until the
 * whole archive has passed, so a refused tarball leaves no file behind. Modes keep only the
 * owner/group/other read and execute bits plus the owner's write bit: no setuid, setgid,
 * sticky or world-writable files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { createEntryRules } from '../tarball/entry-rules.ts';
import { normalizeEntryPath } from '../tarball/entry-path.ts';
import { DEFAULT_TARBALL_LIMITS } from '../tarball/inspect.ts';
import { quotePath, TarballError, type TarballErrorCode } from '../tarball/tarball-error.ts';

export interface ExtractedFile {
  /** Relative to the package root, `/`-separated. */
  path: string;
  mode: number;
}

export interface ExtractResult {
  files: ExtractedFile[];
  dirs: string[];
}

const FILE_TYPES = new Set(['File', 'OldFile']);

/** Mode of an unpacked file: r/x as packed, owner always rw, nothing special, not world-writable. */
export const safeFileMode = (mode: number | undefined) => ((mode ?? 0o644) & 0o755) | 0o644;

interface Pending {
  path: string;
  kind: 'file' | 'dir';
  mode: number;
  data: Buffer;
}

function refuse(code: TarballErrorCode, message: string, path?: string): TarballError {
  return new TarballError(code, message, path === undefined ? {} : { path });
}

/** Reads the whole archive in memory, checking every entry; throws on the first bad one. */
function readEntries(tgz: Uint8Array, limits = DEFAULT_TARBALL_LIMITS): { entries: Pending[]; manifestPath: string } {
  let tar: Buffer;
  try {
    // maxOutputLength stops a gzip bomb as it inflates rather than after.
    tar = gunzipSync(tgz, { maxOutputLength: limits.maxUnpackedBytes });
  } catch (error) {
    const tooBig = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
    throw refuse(tooBig ? 'tarball_too_large_unpacked' : 'tarball_not_gzip', tooBig ? `The tarball inflates to more than ${limits.maxUnpackedBytes} bytes` : `The tarball is not valid gzip (${(error as Error).message})`);
  }
  const rules = createEntryRules(limits);
  const entries: Pending[] = [];
  let manifestPath: string | null = null;
  let failure: unknown = null;
  const fail = (error: unknown) => {
    failure ??= error;
  };
  const parser = new Parser({ brotli: false, zstd: false, strict: true });
  parser.on('warn', (_code: string, message: string | Error) => fail(refuse('tarball_not_tar', `The archive is not a valid tar: ${message instanceof Error ? message.message : message}`)));
  parser.on('error', (error: Error) => fail(refuse('tarball_not_tar', `The archive is not a valid tar: ${error.message}`)));
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    entry.resume();
    fail(refuse('tarball_special_entry', `Entry ${quotePath(entry.path)} (${entry.type}) is not a regular file or folder`, entry.path));
  });
  parser.on('entry', (entry: ReadEntry) => {
    if (failure !== null) return void entry.resume();
    try {
      const isFile = FILE_TYPES.has(entry.type);
      if (!isFile && entry.type !== 'Directory') {
        const link = entry.type === 'SymbolicLink' || entry.type === 'Link';
        throw refuse(link ? 'tarball_link_entry' : 'tarball_special_entry', `Entry ${quotePath(entry.path)} is a ${entry.type}; packages hold only regular files and folders`, entry.path);
      }
      const path = normalizeEntryPath(entry.path);
      if (path === '') {
        if (isFile) throw refuse('tarball_not_tar', `Entry ${quotePath(entry.path)} is a file without a name`);
        return void entry.resume();
      }
      const kind = isFile ? 'file' : 'dir';
      if (rules.accept(path, kind, entry.size)) manifestPath = path;
      const chunks: Buffer[] = [];
      const pending: Pending = { path, kind, mode: entry.mode ?? 0o644, data: Buffer.alloc(0) };
      entries.push(pending);
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        pending.data = Buffer.concat(chunks);
      });
    } catch (error) {
      entry.resume();
      fail(error);
    }
  });
  parser.end(tar);
  if (failure !== null) throw failure;
  rules.finish();
  if (manifestPath === null) throw refuse('manifest_missing', 'The archive has no synapse.json');
  return { entries, manifestPath };
}

/**
 * Checks the whole tarball, then writes it under `target` (created; must not exist yet or be
 * empty), with the top folder (such as `package/`) stripped.
 */
export async function extractTarball(tgz: Uint8Array, target: string): Promise<ExtractResult> {
  const { entries, manifestPath } = readEntries(tgz);
  const top = manifestPath.includes('/') ? `${manifestPath.split('/')[0]}/` : '';
  const root = resolve(target);
  const files: ExtractedFile[] = [];
  const dirs = new Set<string>();
  await mkdir(root, { recursive: true });
  for (const entry of entries) {
    const rel = top && entry.path.startsWith(top) ? entry.path.slice(top.length) : entry.path;
    if (top && entry.path === top.slice(0, -1)) continue;
    const dest = resolve(root, rel);
    // Already guaranteed by normalizeEntryPath; checked again where it matters.
    if (!dest.startsWith(root + sep)) throw refuse('tarball_path_traversal', `Entry ${quotePath(entry.path)} would be written outside the package folder`, entry.path);
    if (entry.kind === 'dir') {
      await mkdir(dest, { recursive: true, mode: 0o755 });
      dirs.add(rel);
      continue;
    }
    const parent = dirname(rel);
    if (parent !== '.') {
      await mkdir(join(root, parent), { recursive: true, mode: 0o755 });
      let p = parent;
      while (p !== '.' && !dirs.has(p)) {
        dirs.add(p);
        p = dirname(p);
      }
    }
    const mode = safeFileMode(entry.mode);
    // wx: never through an existing file or link.
    await writeFile(dest, entry.data, { flag: 'wx', mode });
    files.push({ path: rel, mode });
  }
  return { files, dirs: [...dirs].sort() };
}
