/**
 * Filing and editing advisories through the API. Admins (with a login session) may file and edit any
 * advisory, choosing its id or not. A package's owners may file one about packages they own (a session,
 * or a token with the "publish" scope for each), under an id the registry assigns, and may edit the
 * ones they filed while they still own what they name. The registry sets `modified` on every write and
 * `published` when the document has none.
 */
import { randomBytes } from 'node:crypto';
import { conflict, forbidden, notFound, validationError, type FieldError } from '../../../core/src/errors.ts';
import type { RegistryDatabase } from '../db/database.ts';
import { findPackage, isOwner } from '../db/packages.ts';
import type { AdvisoryRow } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { Actor } from '../registry/publisher.ts';
import type { OsvDocument, ParsedAdvisory } from './advisory.ts';
import { parseAdvisory } from './parse.ts';
import { saveAdvisory } from './save.ts';
import { findAdvisory } from './store.ts';

export interface ManageDeps {
  db: RegistryDatabase;
  now: () => Date;
}

const isAdmin = (actor: Actor) => actor.isAdmin && actor.via === 'session';

function parsed(document: Record<string, unknown>): ParsedAdvisory {
  const result = parseAdvisory(document);
  if (!result.ok) throw validationError(result.errors, result.errors.map((e: FieldError) => `${e.field}: ${e.message}`).join('; '));
  return result.value;
}

/** Every package the advisory names must be the actor's, with a token allowed to publish it. */
async function checkOwnsAll(db: Db, actor: Actor, advisory: ParsedAdvisory): Promise<void> {
  for (const { name } of advisory.packages) {
    const pkg = await findPackage(db, name);
    if (!pkg) throw notFound('package_not_found', `The advisory names ${name}, and this registry has no package of that name`);
    if (!(await isOwner(db, pkg.id, actor.userId))) {
      throw forbidden(
        'not_owner',
        `You are not an owner of ${pkg.name}: only its owners (or the registry's admins) may file an advisory about it`,
      );
    }
    if (!actor.allows('publish', pkg.name)) {
      throw forbidden(
        'token_scope',
        `This API token may not file advisories about ${pkg.name}: it needs the "publish" scope for that package`,
      );
    }
  }
}

/** Files a new advisory; returns its id. */
export async function fileAdvisory(deps: ManageDeps, actor: Actor, body: Record<string, unknown>): Promise<string> {
  const admin = isAdmin(actor);
  if (body.id !== undefined && !admin) {
    throw validationError(
      [{ field: 'id', message: 'the registry assigns the id of an advisory filed by a package owner; leave it out' }],
      'the registry assigns the id of an advisory filed by a package owner; leave it out',
    );
  }
  const now = deps.now().toISOString();
  const assignId = body.id === undefined;
  // A placeholder that passes the id rule until the row's sequence number gives the real one.
  const document = {
    ...body,
    id: assignId ? `SYN-pending-${randomBytes(8).toString('hex')}` : body.id,
    modified: now,
    published: body.published ?? now,
  };
  const advisory = parsed(document);
  if (!admin) await checkOwnsAll(deps.db.kysely, actor, advisory);
  try {
    return await deps.db.kysely.transaction().execute((trx) => saveAdvisory(trx, deps.db.dialect, { advisory, actor, assignId, now }));
  } catch (error) {
    if (isUniqueViolation(error))
      throw conflict(
        'advisory_exists',
        `An advisory with the id ${advisory.id} already exists; edit it with PUT /advisories/${advisory.id}`,
      );
    throw error;
  }
}

async function editable(deps: ManageDeps, actor: Actor, id: string): Promise<AdvisoryRow> {
  const existing = await findAdvisory(deps.db.kysely, id);
  if (!existing) throw notFound('advisory_not_found', `No advisory with the id ${id}`);
  if (!isAdmin(actor) && Number(existing.created_by) !== actor.userId) {
    throw forbidden('not_advisory_author', `Only the registry's admins and the owner who filed ${id} may edit it`);
  }
  return existing;
}

/** Replaces an advisory's document (to correct it, or to withdraw it with `withdrawn`). */
export async function editAdvisory(deps: ManageDeps, actor: Actor, id: string, body: Record<string, unknown>): Promise<string> {
  const existing = await editable(deps, actor, id);
  if (body.id !== undefined && body.id !== id) {
    throw validationError(
      [{ field: 'id', message: `is "${String(body.id)}" but the path names ${id}; an advisory's id does not change` }],
      `the body's id does not match ${id}`,
    );
  }
  const previous = JSON.parse(existing.document) as OsvDocument;
  const now = deps.now().toISOString();
  const advisory = parsed({ ...body, id, modified: now, published: body.published ?? previous.published ?? now });
  if (!isAdmin(actor)) {
    await checkOwnsAll(deps.db.kysely, actor, parsed(previous));
    await checkOwnsAll(deps.db.kysely, actor, advisory);
  }
  await deps.db.kysely.transaction().execute((trx) => saveAdvisory(trx, deps.db.dialect, { advisory, existing, actor, now }));
  return id;
}
