/**
 * `synapse_modules/.synapse-state.json`: what the last install laid out, and for which lockfile,
 * manifest, registry and client. It lets a re-run with nothing changed stop after a few reads and
 * stats (before the installer even loads: quick-install.ts), and lets an install touch only the
 * packages that changed. node:fs and node:path only, so the quick path loads nothing else (not
 * even node:crypto: the state keeps the manifest's text and a copy of the lockfile, which compare
 * faster than one hash module loads).
 */
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_FILE = '.synapse-state.json';
/** The state's copy of synapse.lock, compared as bytes (off the JavaScript heap: no collection for it). */
export const LOCK_COPY = '.synapse-state.lock';

export interface InstalledPackage {
  version: string;
  integrity: string;
  /** The folders inside the package folder, relative to it. */
  dirs?: string[];
  /** layoutOf() the package folder right after the install (absent in states written before it). */
  layout?: string;
}

export interface InstallState {
  /** synapse.lock as it was on disk after the install; kept in LOCK_COPY, not in the JSON. */
  lockfile?: Buffer;
  /** synapse.json as it was on disk after the install. */
  manifest?: string;
  /** The registry the install talked to. */
  registry?: string;
  /** The client version that wrote the state. */
  client?: string;
  /** The manifest's dependencies the install was made for. */
  root: Record<string, string>;
  packages: Record<string, InstalledPackage>;
}

/** The state in the text of a state file; null when there is none or it is not one. */
export function parseInstallState(text: string | null): InstallState | null {
  try {
    const state = JSON.parse(text ?? 'null') as InstallState | null;
    if (typeof state?.packages !== 'object' || state.packages === null || typeof state.root !== 'object' || state.root === null)
      return null;
    // Only LOCK_COPY vouches for the lockfile, whatever the JSON says.
    delete state.lockfile;
    return state;
  } catch {
    return null;
  }
}

export function readInstallState(modulesDir: string): InstallState | null {
  let state: InstallState | null;
  try {
    state = parseInstallState(readFileSync(join(modulesDir, STATE_FILE), 'utf8'));
  } catch {
    return null;
  }
  if (state === null) return null;
  try {
    state.lockfile = readFileSync(join(modulesDir, LOCK_COPY));
  } catch {
    // No copy: the state vouches for no lockfile, so nothing is up to date.
  }
  return state;
}

/**
 * Writes the state; compact, as only the client reads it. The old state goes first, so a run
 * stopped half-way leaves no state (the next install does the full check) rather than a state
 * beside a lockfile copy it was not written with.
 */
export function writeInstallState(modulesDir: string, state: InstallState): void {
  const { lockfile, ...rest } = state;
  rmSync(join(modulesDir, STATE_FILE), { force: true });
  if (lockfile === undefined) rmSync(join(modulesDir, LOCK_COPY), { force: true });
  else writeFileSync(join(modulesDir, LOCK_COPY), lockfile);
  writeFileSync(join(modulesDir, STATE_FILE), `${JSON.stringify(rest)}\n`);
}

/** Same names with the same ranges, in any order. */
export function sameDependencies(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/**
 * Inode and modification time of the package folder and of every folder in it; null when one is
 * gone. A file added, deleted or renamed anywhere in the package changes its folder's time, a
 * folder replaced changes its inode. (A file edited in place changes neither.)
 */
export function layoutOf(packageDir: string, dirs: readonly string[] = []): string | null {
  const parts: string[] = [];
  for (const dir of ['', ...dirs]) {
    // Concatenated, not join()ed: normalising hundreds of paths costs more than stat'ing them.
    const stats = statSync(dir === '' ? packageDir : `${packageDir}/${dir}`, { throwIfNoEntry: false });
    if (stats === undefined || !stats.isDirectory()) return null;
    parts.push(`${stats.ino}:${stats.mtimeMs}`);
  }
  return parts.join(' ');
}

/** Whether the package's folder is laid out as the install that recorded `installed` left it. */
export function layoutMatches(modulesDir: string, name: string, installed: InstalledPackage | undefined): boolean {
  if (typeof installed?.layout !== 'string' || (installed.dirs !== undefined && !Array.isArray(installed.dirs))) return false;
  return layoutOf(`${modulesDir}/${name}`, installed.dirs) === installed.layout;
}

/**
 * Dates a freshly placed package's folders back to `time` (a second or more before the install
 * began). Any later change then gives a folder a newer time than the one recorded, even on a file
 * system whose clock ticks coarsely: a change made right after the install cannot keep the time
 * the install saw, as it could if the folders kept the time of their placing.
 */
export function backdateLayout(packageDir: string, dirs: readonly string[], time: Date): void {
  // Deepest first is not needed: setting a folder's times does not touch its parent's.
  for (const dir of ['', ...dirs]) utimesSync(join(packageDir, dir), time, time);
}

export interface UpToDateCheck {
  modulesDir: string;
  state: InstallState | null;
  /** synapse.lock as it is on disk now; null when there is none. */
  lock: Buffer | null;
  dependencies: Record<string, string>;
  registry: string;
}

/** True when synapse_modules holds exactly what synapse.lock says, for these dependencies, from this registry. */
export function upToDate(check: UpToDateCheck): boolean {
  const { state, lock } = check;
  if (state?.lockfile === undefined || lock === null || !state.lockfile.equals(lock)) return false;
  if (state.registry !== check.registry || !sameDependencies(state.root, check.dependencies)) return false;
  return Object.entries(state.packages).every(([name, installed]) => layoutMatches(check.modulesDir, name, installed));
}
