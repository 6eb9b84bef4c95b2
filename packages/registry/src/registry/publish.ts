/**
 * The publishing pipeline: stage the upload while hashing and counting it and, on the same bytes as
 * they arrive, inspect the archive; then authorise, commit the blob, and record the version in one
 * transaction. All or nothing: a failure at any step leaves no row and no served blob.
 */
import { finished, PassThrough, type Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { conflict, forbidden, RegistryError } from '../../../core/src/errors.ts';
import { canonicalName, type DistTag, type Version } from '../../../core/src/names.ts';
import type { LimitsConfig } from '../config/index.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { BlobStore, StagedBlob } from '../storage/index.ts';
import {
  inspectTarball,
  numberSecretLines,
  type Manifest,
  type Readme,
  type SecretFinding,
  type SecretScanSessions,
} from '../../../core/src/tarball/index.ts';
import { anyVersion, blobReferenced, existingCanonicalNames, findPackage, isOwner } from '../db/packages.ts';
import { lockPackage } from '../db/owners.ts';
import { recordDependencies } from '../db/version-dependencies.ts';
import { insertReadme, type StoredReadme } from '../db/readmes.ts';
import type { ReadmeRenderer } from './readme-render-pool.ts';
import { refreshPackage } from './refresh-package.ts';
import { forgetSearches } from './search-cache.ts';
import { recordAudit } from './audit.ts';
import { handleLeakedSecrets } from './leaked-secrets.ts';
import { applyPublishTag } from './publish-tag.ts';
import { vetNewPackageName } from './new-package-name.ts';
import { checkNotLocked } from './package-lock.ts';
import { checkNotReserved } from './reserved-names.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { Db } from '../db/users.ts';
import type { Actor } from './publisher.ts';
import type { ActionLimits } from './action-limits.ts';

export interface PublishDeps {
  db: RegistryDatabase;
  store: BlobStore;
  limits: LimitsConfig;
  now: () => Date;
  actionLimits: ActionLimits;
  /** Renders READMEs on worker threads. */
  readmes: ReadmeRenderer;
  /** The thread secret scans run on; null scans inline. */
  secretScan: SecretScanSessions | null;
}

export interface PublishedVersion {
  name: string;
  version: Version;
  checksum: string;
  integrity: string;
  size: number;
  publishedAt: string;
}

/**
 * What can be refused before a byte of the upload is read: a token that may publish nothing. The
 * per-package check waits for the manifest; this one spares the work of inflating a doomed upload.
 */
export function checkMayPublish(actor: Actor): void {
  if (!actor.allowsSome('publish')) {
    throw forbidden('token_scope', 'This API token may not publish packages: it needs the "publish" scope');
  }
}

/** The client went away before the upload was complete; nobody is left to read an answer. */
export const uploadAborted = (cause?: unknown) =>
  new RegistryError(400, 'upload_aborted', 'The connection closed before the whole upload was received', { cause });

/** A connection reset or closed mid-body, as Node reports it on the request stream. */
const clientWentAway = (error: NodeJS.ErrnoException): boolean =>
  error.code === 'ECONNRESET' || error.code === 'ERR_STREAM_PREMATURE_CLOSE' || error.message === 'aborted';

/** A README is kept up to this many bytes; a longer one is cut (and the page says so). */
export const README_MAX_BYTES = 500 * 1024;

export interface PublishOptions {
  /** A dist-tag to point at the new version (`?tag=beta`); see publish-tag.ts for what it does to latest. */
  tag?: DistTag;
  /** The publisher says what the secret scan found is not secret (`?allow_secrets=true`). */
  allowSecrets?: boolean;
  /** A last check of a name no package here has yet (pull-through's dependency-confusion guard); throws to refuse. */
  vetNewName?: (name: string) => Promise<void>;
}

/** Runs the whole pipeline on an upload stream; throws a RegistryError for anything refused. */
export async function publishPackage(
  deps: PublishDeps,
  actor: Actor,
  body: Readable,
  options: PublishOptions = {},
): Promise<PublishedVersion> {
  const { staged, manifest, readme, secrets: found } = await receiveUpload(deps, body);
  let committed = false;
  try {
    // Opened only when there are findings: the staged file is moved by commit below.
    const secrets = await numberSecretLines(() => createReadStream(staged.path), found, archiveLimits(deps.limits));
    // First: a live token found is revoked whatever else refuses this publish.
    await handleLeakedSecrets(deps, actor, manifest.name, secrets, options.allowSecrets === true);
    if (!actor.allows('publish', manifest.name)) {
      throw forbidden('token_scope', `This API token may not publish ${manifest.name}: it needs the "publish" scope for that package`);
    }
    await checkDependenciesExist(deps.db.kysely, manifest);
    const existing = await checkPublishable(deps.db.kysely, actor, manifest);
    await vetNewPackageName(deps.db.kysely, actor.userId, manifest.name);
    if (!existing) await options.vetNewName?.(manifest.name);
    // After every cheap refusal, so a doomed publish spends no token; before anything is stored.
    await (existing ? deps.actionLimits.take('new_version', existing.id) : deps.actionLimits.take('new_package', actor.userId));
    // The blob goes first: a version row must never point at bytes that are not there.
    // Rendered once, after every refusal and outside the transaction, on a worker thread; pages only
    // read the stored HTML.
    const stored = readme && { ...readme, html: await deps.readmes.render(readme) };
    await deps.store.commit(staged);
    committed = true;
    return await recordVersion(deps, actor, { manifest, staged, readme: stored }, options);
  } catch (error) {
    if (committed && !(await blobReferenced(deps.db.kysely, staged.sha256))) {
      await deps.store.remove(staged.sha256);
    }
    throw error;
  } finally {
    await staged.discard();
  }
}

/**
 * Stages and inspects the upload side by side, so a broken or hostile archive is refused at its first
 * bad bytes rather than after the whole body has been written to disk. The first failure stops both
 * sides and is the one reported; the staged file is gone whenever this throws.
 */
interface Upload {
  staged: StagedBlob;
  manifest: Manifest;
  readme: Readme | null;
  secrets: SecretFinding[];
}

const archiveLimits = (limits: PublishDeps['limits']) => ({ maxEntries: limits.maxEntries, maxUnpackedBytes: limits.maxUnpackedBytes });

async function receiveUpload(deps: PublishDeps, body: Readable): Promise<Upload> {
  const toStage = new PassThrough();
  const toInspect = new PassThrough();
  const first: { error?: unknown } = {};
  const stop = (error: unknown): void => {
    first.error ??= error;
    body.unpipe(toStage);
    body.unpipe(toInspect);
    // No error passed on: each side takes an early close as its failure, and `first` keeps the cause.
    toStage.destroy();
    toInspect.destroy();
  };
  const stopAndThrow = (error: unknown): never => {
    stop(error);
    throw error;
  };
  // pipe() does not pass on a client that goes away mid-upload; without this both sides would wait forever.
  // A reset connection is the client's doing, not a database outage (which ECONNRESET would suggest).
  const stopWatching = finished(body, (error) => {
    if (error) stop(clientWentAway(error) ? uploadAborted(error) : error);
  });
  body.pipe(toStage);
  body.pipe(toInspect);
  const limits = deps.limits;
  const [staging, inspection] = await Promise.allSettled([
    deps.store.stage(toStage, { maxBytes: limits.maxTarballBytes }).catch(stopAndThrow),
    inspectTarball(toInspect, archiveLimits(limits), {
      readmeBytes: README_MAX_BYTES,
      scanSecrets: limits.scanSecrets,
      ...(deps.secretScan ? { scanThread: deps.secretScan } : {}),
    }).catch(stopAndThrow),
  ]);
  stopWatching();
  if (staging.status === 'fulfilled' && inspection.status === 'fulfilled') {
    const { manifest, readme, secrets } = inspection.value;
    return { staged: staging.value, manifest, readme, secrets };
  }
  if (staging.status === 'fulfilled') await staging.value.discard();
  // Over the size limit is the answer whichever side failed first: a multipart body is cut at the
  // limit, and the inspection, seeing the cut archive end, may report a damaged gzip stream before
  // staging (which removes its file before it rejects) reports the size.
  if (staging.status === 'rejected' && isTooLarge(staging.reason)) throw staging.reason;
  throw first.error;
}

const isTooLarge = (error: unknown) => error instanceof RegistryError && error.code === 'tarball_too_large';

async function checkDependenciesExist(db: Db, manifest: Manifest): Promise<void> {
  const names = Object.keys(manifest.dependencies);
  const held = await existingCanonicalNames(db, names);
  const missing = names.filter((n) => !held.has(canonicalName(n)));
  if (missing.length > 0) {
    throw new RegistryError(
      400,
      'dependency_not_found',
      `This registry does not hold ${missing.join(', ')}: publish ${missing.length === 1 ? 'it' : 'them'} first or remove the dependency`,
      { errors: missing.map((n) => ({ field: `dependencies.${n}`, message: `no package named ${n}` })) },
    );
  }
}

/** Ownership and version checks, made again inside the transaction; this early pass avoids storing a doomed blob. */
async function checkPublishable(db: Db, actor: Actor, manifest: Manifest) {
  const pkg = await findPackage(db, manifest.name);
  if (!pkg) return undefined;
  if (pkg.name !== manifest.name) {
    throw conflict(
      'name_taken',
      `"${manifest.name}" is too similar to the existing package "${pkg.name}" (case, "-", "_" and "." count as the same)`,
    );
  }
  if (!(await isOwner(db, pkg.id, actor.userId))) {
    throw forbidden('not_owner', `You are not an owner of ${pkg.name}, so you cannot publish versions of it`);
  }
  checkNotLocked(pkg);
  const existing = await anyVersion(db, pkg.id, manifest.version);
  if (existing) {
    throw existing.deleted_at
      ? conflict('version_deleted', `${pkg.name}@${manifest.version} was deleted; version numbers are never reused, publish a new one`)
      : conflict('version_exists', `${pkg.name}@${manifest.version} already exists; bump the version to publish again`);
  }
  return pkg;
}

async function recordVersion(
  deps: PublishDeps,
  actor: Actor,
  upload: Omit<Upload, 'readme' | 'secrets'> & { readme: StoredReadme | null },
  options: PublishOptions,
) {
  const { manifest, staged, readme } = upload;
  const now = deps.now().toISOString();
  const integrity = `sha512-${staged.sha512}`;
  try {
    await deps.db.kysely.transaction().execute(async (trx) => {
      // Ownership is read under the package row lock that owner removals take: a removal committed
      // before this point is seen, and one that comes later waits for this publish.
      await lockPackage(trx, deps.db.dialect, manifest.name);
      const existing = await checkPublishable(trx, actor, manifest);
      const packageId = existing?.id ?? (await insertPackage(trx, manifest, actor, now));
      const inserted = await trx
        .insertInto('versions')
        .values({
          package_id: packageId,
          version: manifest.version,
          checksum: staged.sha256,
          integrity,
          size: staged.size,
          dependencies: JSON.stringify(manifest.dependencies),
          keywords: JSON.stringify(manifest.keywords),
          description: manifest.description,
          author: manifest.author,
          license: manifest.license,
          homepage: manifest.homepage,
          repository: manifest.repository,
          published_by: actor.userId,
          published_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordDependencies(trx, inserted.id, manifest.dependencies);
      if (readme) await insertReadme(trx, inserted.id, readme);
      const pkg = { id: packageId, name: manifest.name };
      await applyPublishTag(trx, { dialect: deps.db.dialect, package: pkg, version: manifest.version, tag: options.tag, actor, now });
      await refreshPackage(trx, deps.db.dialect, packageId, { now });
      await recordAudit(trx, {
        action: 'publish',
        actor,
        package: { id: packageId, name: manifest.name },
        version: manifest.version,
        at: now,
      });
    });
    forgetSearches(deps.db);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('version_exists', `${manifest.name}@${manifest.version} already exists; bump the version to publish again`);
    }
    throw error;
  }
  return {
    name: manifest.name,
    version: manifest.version,
    checksum: staged.sha256,
    integrity,
    size: staged.size,
    publishedAt: now,
  };
}

/**
 * Creates the package row, or finds the one a concurrent publish just created: ON CONFLICT waits for
 * that transaction on PostgreSQL, so the first publisher becomes the owner and the others are
 * checked against it.
 */
async function insertPackage(trx: Db, manifest: Manifest, actor: Actor, now: string): Promise<number> {
  const inserted = await trx
    .insertInto('packages')
    .values({
      name: manifest.name,
      canonical_name: canonicalName(manifest.name),
      keywords: '[]',
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('canonical_name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) {
    // Checked again here: a name an admin reserved while this upload was read is refused too.
    await checkNotReserved(trx, manifest.name);
    await trx.insertInto('package_owners').values({ package_id: inserted.id, user_id: actor.userId, created_at: now }).execute();
    return inserted.id;
  }
  const existing = await checkPublishable(trx, actor, manifest);
  if (!existing) throw new Error(`package ${manifest.name} vanished while publishing`);
  return existing.id;
}
