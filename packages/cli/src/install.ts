/**
 * The install pipeline behind install, add, remove and update: settle synapse.lock (reuse it
 * when it matches synapse.json, else resolve), make sure every locked tarball is in the store
 * and matches its integrity, then lay the packages out under synapse_modules/ by hard links.
 * Nothing in the project changes until every tarball is verified and unpacked, so a refused
 * download, a hostile archive or a missing offline entry leaves the project as it was.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Lockfile, LockedPackage } from '../../core/src/lockfile/format.ts';
import { assertFrozen } from '../../core/src/lockfile/frozen.ts';
import { RegistryError } from '../../core/src/errors.ts';
import { parsePackageName } from '../../core/src/names.ts';
import { packageFilesDir, readCachedTarball, unpackIntoStore, writeCachedTarball, type PackageIndex, type Store } from './cache/store.ts';
import type { Context } from './context.ts';
import { CliError, EXIT_NETWORK, networkError, userError } from './errors.ts';
import { describeCause, registryHint } from './http.ts';
import { sriOf } from './integrity.ts';
import { byteMeter, download } from './download.ts';
import { humanBytes, plural } from './format.ts';
import { upToDateSummary, type InstallSummary } from './install-summary.ts';

export { describeInstall, type InstallSummary } from './install-summary.ts';
import {
  backdateLayout,
  layoutMatches,
  layoutOf,
  readInstallState,
  sameDependencies,
  upToDate,
  writeInstallState,
  type InstallState,
  type InstalledPackage,
} from './install-state.ts';
import { createLinker } from './link.ts';
import { cacheDir } from './paths.ts';
import { mapLimit } from '../../core/src/pool.ts';
import { LOCK_FILE, MANIFEST_FILE, MODULES_DIR } from './project-files.ts';
import { CLIENT_VERSION } from './version.ts';
import { installSource } from './install-source.ts';
import { lifecycleWarnings } from './lifecycle-warnings.ts';
import { installedAdvisories } from './install-advisories.ts';
import type { PackageSource } from '../../core/src/resolver/source.ts';

export interface InstallFlags {
  frozenLockfile?: boolean;
  offline?: boolean;
}

export interface InstallRequest {
  /** The project folder (holding synapse.json). */
  dir: string;
  /** The dependencies to install (the manifest as it will be once the command succeeds). */
  dependencies: Record<string, string>;
  rootName?: string;
  /** Names allowed to move off their locked versions (update). */
  update?: string[];
  flags: InstallFlags;
  /** Turns the resolved dependencies into the ranges to record (add: `*` becomes `^x.y.z`). */
  finalize?: (packages: ReadonlyMap<string, string>) => Record<string, string>;
  /** Called once everything is fetched and verified, before the lockfile is written (add/remove save synapse.json here). */
  commit?: (dependencies: Record<string, string>) => Promise<void>;
}

const DOWNLOADS_AT_ONCE = 16;

const storeOf = (ctx: Context): Store => ({ root: cacheDir(ctx.env) });

const readText = (path: string) => readFile(path, 'utf8').catch(() => '');

/**
 * Records the manifest and client a state holds good for, when they changed without changing
 * what to install (a new description, a new client): the next run can then answer from the
 * quick check again.
 */
async function refreshState(dir: string, modulesDir: string, state: InstallState): Promise<void> {
  const manifest = await readText(join(dir, MANIFEST_FILE));
  if (state.manifest === manifest && state.client === CLIENT_VERSION) return;
  try {
    writeInstallState(modulesDir, { ...state, manifest, client: CLIENT_VERSION });
  } catch {
    // Only the next run's quick check is lost: it runs the full check again.
  }
}

interface Installed {
  packages: LockedPackage[];
  dependencies: Record<string, string>;
  /** The folders of each package placed by this install (the others keep theirs from `previous`). */
  placedDirs: ReadonlyMap<string, string[]>;
  previous: InstallState['packages'];
}

/** Writes the state of the install just done: what the next run's quick check compares against. */
async function recordState(ctx: Context, request: InstallRequest, done: Installed): Promise<void> {
  const modulesDir = join(request.dir, MODULES_DIR);
  const installed = (p: LockedPackage): InstalledPackage => {
    const dirs = done.placedDirs.get(p.name) ?? done.previous[p.name]?.dirs ?? [];
    return { version: p.version, integrity: p.integrity, dirs, layout: layoutOf(join(modulesDir, p.name), dirs) ?? undefined };
  };
  const [lockfile, manifest] = await Promise.all([
    readFile(join(request.dir, LOCK_FILE)).catch(() => undefined),
    readText(join(request.dir, MANIFEST_FILE)),
  ]);
  try {
    writeInstallState(modulesDir, {
      lockfile,
      manifest,
      registry: ctx.registry,
      client: CLIENT_VERSION,
      root: done.dependencies,
      packages: Object.fromEntries(done.packages.map((p) => [p.name, installed(p)])),
    });
  } catch (error) {
    // A project with no dependencies has no synapse_modules to hold the state; that is fine.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Refuses lockfile entries that could not have come from a registry we trust to name things. */
function checkLocked(pkg: LockedPackage): void {
  const name = parsePackageName(pkg.name);
  if (!name.ok) throw userError('lockfile_invalid', `synapse.lock names a package "${pkg.name}": ${name.message}`);
  if (!/^https?:\/\//.test(pkg.tarball))
    throw userError('lockfile_invalid', `synapse.lock has a tarball URL for ${pkg.name} that is not http(s): ${pkg.tarball}`);
}

async function settleLockfile(
  ctx: Context,
  request: InstallRequest,
  lock: Lockfile | null,
  source: PackageSource,
): Promise<{ lockfile: Lockfile; changed: boolean; dependencies: Record<string, string> }> {
  const update = request.update ?? [];
  const inSync = lock !== null && sameDependencies(lock.root, request.dependencies) && update.length === 0 && !request.finalize;
  if (inSync) return { lockfile: lock, changed: false, dependencies: request.dependencies };
  if (request.flags.frozenLockfile) assertFrozen(lock, request.dependencies);
  ctx.progress.step(request.flags.offline ? 'Resolving from the cache (offline)' : 'Resolving dependencies');
  const [{ lockDependencies }, { serializeLockfile }] = await Promise.all([
    import('../../core/src/lockfile/lock.ts'),
    import('../../core/src/lockfile/format.ts'),
  ]);
  let result;
  try {
    result = await lockDependencies({
      root: { name: request.rootName, dependencies: request.dependencies },
      source,
      lockfile: lock,
      update,
    });
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'registry_unreachable' && !(error.cause instanceof CliError)) {
      throw networkError(error.code, `${error.message} (${describeCause(error.cause)})`, registryHint(ctx), error);
    }
    throw error;
  }
  let lockfile = result.lockfile;
  let dependencies = request.dependencies;
  if (request.finalize) {
    dependencies = request.finalize(new Map(lockfile.packages.map((p) => [p.name, p.version])));
    lockfile = { ...lockfile, root: { ...dependencies } };
  }
  const changed = lock === null || serializeLockfile(lock) !== serializeLockfile(lockfile);
  return { lockfile, changed, dependencies };
}

interface Fetched {
  pkg: LockedPackage;
  index: PackageIndex;
}

/** Makes sure every package is in the store, verified and unpacked; fails before touching the project. */
async function fetchAll(
  ctx: Context,
  packages: LockedPackage[],
  offline: boolean,
): Promise<{ fetched: Fetched[]; downloaded: number; bytes: number }> {
  const store = storeOf(ctx);
  const token = offline ? null : await ctx.token();
  const missing: string[] = [];
  const corrupt: string[] = [];
  let downloaded = 0;
  let bytes = 0;
  let done = 0;
  const meter = byteMeter();
  const report = () => {
    const bar = meter.text();
    ctx.progress.update(
      `Fetching packages: ${done}/${packages.length}${bar ? ` ${bar}` : ` (${downloaded} downloaded, ${humanBytes(bytes)})`}`,
    );
  };
  if (packages.length > 0) ctx.progress.step(`Fetching ${plural(packages.length, 'package')}`);
  const results = await mapLimit(packages, DOWNLOADS_AT_ONCE, async (pkg): Promise<Fetched | null> => {
    const id = `${pkg.name}@${pkg.version}`;
    const cached = await readCachedTarball(store, pkg.integrity);
    let tarball: Buffer | null = cached.status === 'ok' ? cached.bytes : null;
    if (cached.status === 'corrupt') {
      ctx.progress.note(
        `warning: the cached tarball of ${id} does not match ${pkg.integrity} from synapse.lock (it hashes to ${cached.actual}); removed it from the cache`,
      );
      corrupt.push(id);
    }
    if (tarball === null) {
      if (offline) {
        if (cached.status === 'missing') missing.push(id);
        return null;
      }
      const body = await download(ctx, pkg, token, meter, report);
      const actual = sriOf(body);
      if (actual !== pkg.integrity) {
        throw new CliError(
          EXIT_NETWORK,
          'integrity_mismatch',
          `Refusing ${id}: the tarball from ${pkg.tarball} hashes to ${actual}, but synapse.lock expects ${pkg.integrity}`,
          {
            hint:
              'The registry served different bytes than were locked. If the package was legitimately republished, run synapse pkg update ' +
              pkg.name +
              '; otherwise report it.',
          },
        );
      }
      await writeCachedTarball(store, pkg.integrity, body);
      tarball = body;
      downloaded += 1;
      bytes += body.length;
      done += 1;
      report();
    }
    let index: PackageIndex;
    try {
      index = await unpackIntoStore(store, pkg.integrity, tarball, { name: pkg.name, version: pkg.version });
    } catch (error) {
      if (error instanceof RegistryError) {
        throw new CliError(EXIT_NETWORK, 'tarball_refused', `Refusing ${id}: ${error.message}`, {
          hint: 'The tarball is unsafe to unpack; nothing was written. Report it to the registry that served it.',
          data: { package: pkg.name, version: pkg.version, reason: error.code },
        });
      }
      throw error;
    }
    return { pkg, index };
  });
  if (missing.length > 0 || corrupt.length > 0) {
    const parts = [
      ...(missing.length ? [`not in the cache: ${missing.join(', ')}`] : []),
      ...(corrupt.length ? [`failed verification and were removed: ${corrupt.join(', ')}`] : []),
    ];
    throw userError(
      'offline_missing',
      `--offline: cannot install; ${parts.join('; ')}`,
      'Run the install once without --offline to fetch them.',
      { missing, corrupt },
    );
  }
  return { fetched: results.filter((r): r is Fetched => r !== null), downloaded, bytes };
}

/** Runs the whole install for the project in request.dir. */
export async function runInstall(ctx: Context, request: InstallRequest): Promise<InstallSummary> {
  const startedAt = Date.now();
  const modulesDir = join(request.dir, MODULES_DIR);
  const lockPath = join(request.dir, LOCK_FILE);
  const lockBytes = await readFile(lockPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  const lockText = lockBytes?.toString('utf8') ?? null;
  const state = readInstallState(modulesDir);
  const plain = (request.update ?? []).length === 0 && !request.finalize;
  if (
    plain &&
    state !== null &&
    upToDate({ modulesDir, state, lock: lockBytes, dependencies: request.dependencies, registry: ctx.registry })
  ) {
    await refreshState(request.dir, modulesDir, state);
    return upToDateSummary(Object.keys(state.packages).length);
  }

  const { parseLockfile } = await import('../../core/src/lockfile/format.ts');
  const lock = lockText === null ? null : parseLockfile(lockText);
  const offline = request.flags.offline === true;
  const source = await installSource(ctx, offline);
  const settled = await settleLockfile(ctx, request, lock, source);
  const { lockfile } = settled;
  lockfile.packages.forEach(checkLocked);

  const previous = state?.packages ?? {};
  const wanted = new Map(lockfile.packages.map((p) => [p.name, p]));
  // A package whose folder is gone or changed (a file added, deleted or renamed) is placed again.
  const toPlace = lockfile.packages.filter(
    (p) => previous[p.name]?.integrity !== p.integrity || !layoutMatches(modulesDir, p.name, previous[p.name]),
  );

  const locked = new Set((lock?.packages ?? []).map((p) => `${p.name}@${p.version}`));
  const [{ fetched, downloaded, bytes }, warnings, advisories] = await Promise.all([
    fetchAll(ctx, toPlace, offline),
    lifecycleWarnings(source, lockfile.packages, locked),
    installedAdvisories(source, lockfile.packages),
  ]);

  // Everything is verified: now the project may change.
  if (request.commit) await request.commit(settled.dependencies);
  if (settled.changed) {
    const { writeLockfile } = await import('../../core/src/lockfile/file.ts');
    await writeLockfile(lockPath, lockfile);
  }

  const removed: InstallSummary['removed'] = [];
  for (const [name, was] of Object.entries(previous)) {
    if (wanted.has(name)) continue;
    if (parsePackageName(name).ok) await rm(join(modulesDir, name), { recursive: true, force: true });
    removed.push({ name, version: was.version });
  }
  const linker = createLinker();
  if (fetched.length > 0) ctx.progress.step(`Linking ${plural(fetched.length, 'package')}`);
  const added: InstallSummary['added'] = [];
  const updated: InstallSummary['updated'] = [];
  const placedDirs = new Map<string, string[]>();
  const backdated = new Date(Math.floor(startedAt / 1000) * 1000 - 1000);
  await mapLimit(fetched, 8, async ({ pkg, index }) => {
    const dest = join(modulesDir, pkg.name);
    await rm(dest, { recursive: true, force: true });
    await linker.place(packageFilesDir(storeOf(ctx), pkg.integrity), index, dest);
    backdateLayout(dest, index.dirs, backdated);
    placedDirs.set(pkg.name, index.dirs);
    const was = previous[pkg.name];
    if (was === undefined) added.push({ name: pkg.name, version: pkg.version });
    else if (was.version !== pkg.version) updated.push({ name: pkg.name, from: was.version, to: pkg.version });
  });
  await recordState(ctx, request, { packages: lockfile.packages, dependencies: settled.dependencies, placedDirs, previous });
  for (const warning of warnings) ctx.progress.note(`warning: ${warning.text}`);
  ctx.progress.stop();
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return {
    up_to_date: false,
    added: added.sort(byName),
    updated: updated.sort(byName),
    removed: removed.sort(byName),
    packages: lockfile.packages.length,
    lockfile_changed: settled.changed,
    downloaded,
    downloaded_bytes: bytes,
    from_cache: fetched.length - downloaded,
    method: fetched.length > 0 ? linker.method : null,
    time_ms: Math.round(performance.now()),
    warnings,
    advisories,
  };
}
