/**
 * Unpacks a package tarball into a fresh folder. The archive goes through the registry's own
 * reader (packages/core/src/tarball/read-archive.ts): the same entry types, paths, modes, layout and limits, so
 * what the registry accepts installs and what it refuses does not. Nothing is written until the
 * whole archive has passed, so a refused tarball leaves no file behind. Files are written 0644,
 * or 0755 when executable; folders 0755.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { canonicalName } from '../../core/src/names.ts';
import { installedMode, readArchive } from '../../core/src/tarball/index.ts';
import { quotePath, TarballError } from '../../core/src/tarball/tarball-error.ts';

export interface ExtractedFile {
  /** Relative to the package root, `/`-separated. */
  path: string;
  mode: number;
}

export interface ExtractResult {
  /** Name and version from the tarball's own synapse.json. */
  name: string;
  version: string;
  files: ExtractedFile[];
  dirs: string[];
}

/** The package the lockfile says this tarball is. */
export interface ExpectedPackage {
  name: string;
  version: string;
}

/**
 * Refuses a tarball whose manifest names another package or version than the one asked for:
 * its integrity matched, but installing it under the requested name would be a substitution.
 */
export function checkPackageIdentity(actual: { name: string; version: string }, expected: ExpectedPackage): void {
  if (canonicalName(actual.name) === canonicalName(expected.name) && actual.version === expected.version) return;
  throw new TarballError(
    'tarball_package_mismatch',
    `the tarball's synapse.json says ${actual.name}@${actual.version}, not ${expected.name}@${expected.version}`,
  );
}

/**
 * Checks the whole tarball, then writes it under `target` (created; must not exist yet or be
 * empty), with the top folder (such as `package/`) stripped.
 */
export async function extractTarball(tgz: Uint8Array, target: string, expected?: ExpectedPackage): Promise<ExtractResult> {
  const contents = await readArchive(Readable.from([Buffer.from(tgz.buffer, tgz.byteOffset, tgz.byteLength)]), { keepData: true });
  const { name, version } = contents.manifest;
  if (expected) checkPackageIdentity({ name, version }, expected);
  const root = resolve(target);
  const files: ExtractedFile[] = [];
  const dirs = new Set<string>();
  await mkdir(root, { recursive: true });
  for (const entry of contents.entries) {
    const dest = resolve(root, entry.path);
    // Already guaranteed by the path rules; checked again where it matters.
    if (!dest.startsWith(root + sep)) {
      throw new TarballError('tarball_path_traversal', `Entry ${quotePath(entry.path)} would be written outside the package folder`, {
        path: entry.path,
      });
    }
    if (entry.kind === 'dir') {
      await mkdir(dest, { recursive: true, mode: 0o755 });
      dirs.add(entry.path);
      continue;
    }
    const parent = dirname(entry.path);
    if (parent !== '.') {
      await mkdir(join(root, parent), { recursive: true, mode: 0o755 });
      for (let p = parent; p !== '.' && !dirs.has(p); p = dirname(p)) dirs.add(p);
    }
    const mode = installedMode('file', entry.mode);
    // wx: never through an existing file or link.
    await writeFile(dest, entry.data, { flag: 'wx', mode });
    files.push({ path: entry.path, mode });
  }
  return { name, version, files, dirs: [...dirs].sort() };
}
