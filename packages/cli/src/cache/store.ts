/**
 * The content-addressed package store under the user's cache folder:
 *
 *     tarballs/<aa>/<sha512 hex>.tgz   the tarball as downloaded, verified before it was stored
 *     packages/<sha512 hex>/files/…    its unpacked tree, the source of the hard links
 *     packages/<sha512 hex>/index.json the tree's file list (written last: its presence marks
 *                                      a complete entry)
 *
 * Keys are the sha512 of the tarball, so one tarball is stored once whatever registry or
 * project it came from. Entries are written to a temporary name and renamed into place.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPackageIdentity, extractTarball, type ExpectedPackage, type ExtractResult } from '../extract.ts';
import { sriHex, sriOf } from '../integrity.ts';
import { writeFileAtomic } from '../../../core/src/files.ts';

export interface Store {
  root: string;
}

export type PackageIndex = ExtractResult;

export type CachedTarball = { status: 'ok'; bytes: Buffer } | { status: 'missing' } | { status: 'corrupt'; actual: string };

function hexOf(integrity: string): string {
  const hex = sriHex(integrity);
  if (hex === null) throw new Error(`not a sha512 integrity: ${integrity}`);
  return hex;
}

export const tarballPath = (store: Store, integrity: string) => {
  const hex = hexOf(integrity);
  return join(store.root, 'tarballs', hex.slice(0, 2), `${hex}.tgz`);
};

export const packageDir = (store: Store, integrity: string) => join(store.root, 'packages', hexOf(integrity));
export const packageFilesDir = (store: Store, integrity: string) => join(packageDir(store, integrity), 'files');

const temp = (path: string) => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/**
 * The cached tarball for an integrity, hashed again on every read: a file that no longer
 * matches its name is reported as corrupt (and removed with its unpacked tree), never used.
 */
export async function readCachedTarball(store: Store, integrity: string): Promise<CachedTarball> {
  let bytes: Buffer;
  try {
    bytes = await readFile(tarballPath(store, integrity));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    throw error;
  }
  const actual = sriOf(bytes);
  if (actual === integrity) return { status: 'ok', bytes };
  await rm(tarballPath(store, integrity), { force: true });
  await rm(packageDir(store, integrity), { recursive: true, force: true });
  return { status: 'corrupt', actual };
}

/** Stores a tarball whose bytes were already checked against `integrity`. */
export async function writeCachedTarball(store: Store, integrity: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(tarballPath(store, integrity), bytes);
}

/** The file list of an unpacked entry; null when the entry is absent or incomplete. */
export async function readPackageIndex(store: Store, integrity: string): Promise<PackageIndex | null> {
  try {
    return JSON.parse(await readFile(join(packageDir(store, integrity), 'index.json'), 'utf8')) as PackageIndex;
  } catch {
    return null;
  }
}

/**
 * Unpacks a verified tarball into the store (safely, see extract.ts) unless it is there
 * already, and returns its file list.
 */
export async function unpackIntoStore(
  store: Store,
  integrity: string,
  bytes: Uint8Array,
  expected: ExpectedPackage,
): Promise<PackageIndex> {
  const existing = await readPackageIndex(store, integrity);
  // An index from before it recorded the manifest's name is unpacked again, so the check below runs.
  if (existing && typeof existing.name === 'string') {
    checkPackageIdentity(existing, expected);
    return existing;
  }
  const dir = packageDir(store, integrity);
  const staging = temp(dir);
  try {
    const index = await extractTarball(bytes, join(staging, 'files'), expected);
    await writeFile(join(staging, 'index.json'), JSON.stringify(index));
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, '..'), { recursive: true });
    await rename(staging, dir);
    return index;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
