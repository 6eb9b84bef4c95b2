/**
 * Writing one advisory inside a caller's transaction: the packages it names are locked (they must
 * exist), the row and its package rows are written, every package it names before or after has its
 * `updated_at` moved (so cached package documents carry the new summary at once), and each of them
 * gets an audit entry (which raises the webhook event, when the change is one); packages depending on an
 * affected version hear the event too (dependents.ts).
 */
import { notFound } from '../../../core/src/errors.ts';
import { lockPackage } from '../db/owners.ts';
import type { AdvisoryRow } from '../db/schema.ts';
import type { Db } from '../db/users.ts';
import { recordAudit, type AuditAction } from '../registry/audit.ts';
import { touchPackage } from '../registry/package-stamp.ts';
import type { Actor } from '../registry/publisher.ts';
import type { ParsedAdvisory } from './advisory.ts';
import { advisoryPackageIds, assignId, insertAdvisory, replaceAdvisory } from './store.ts';
import { notifyDependents } from './dependents.ts';

export interface SaveRequest {
  advisory: ParsedAdvisory;
  /** The row it replaces; undefined for a new advisory. */
  existing?: AdvisoryRow;
  actor: Actor | null;
  /** Where a change without an actor came from (the import's "command line"). */
  by?: string;
  /** Give the registry's own id (`SYN-<year>-<seq>`) to a new advisory sent without one. */
  assignId?: boolean;
  now: string;
}

/** The packages an advisory names, locked for the rest of the transaction: canonical name → id. */
async function lockNamedPackages(
  trx: Db,
  dialect: 'sqlite' | 'postgres',
  advisory: ParsedAdvisory,
): Promise<Map<string, { id: number; name: string }>> {
  const out = new Map<string, { id: number; name: string }>();
  for (const pkg of advisory.packages) {
    const row = await lockPackage(trx, dialect, pkg.name);
    if (!row) throw notFound('package_not_found', `The advisory names ${pkg.name}, and this registry has no package of that name`);
    out.set(pkg.canonical, { id: row.id, name: row.name });
  }
  return out;
}

function auditAction(request: SaveRequest): AuditAction {
  const withdrawnNow = request.advisory.withdrawn !== null && (request.existing?.withdrawn ?? null) === null;
  if (withdrawnNow) return 'advisory_withdraw';
  return request.existing ? 'advisory_update' : 'advisory_publish';
}

/** Saves the advisory; returns the id it is stored under. */
export async function saveAdvisory(trx: Db, dialect: 'sqlite' | 'postgres', request: SaveRequest): Promise<string> {
  const { advisory, existing, now } = request;
  const named = await lockNamedPackages(trx, dialect, advisory);
  const stored = { advisory, packageIds: new Map([...named].map(([c, p]) => [c, p.id])), createdBy: request.actor?.userId ?? null, now };
  let id = advisory.id;
  const before = existing ? await advisoryPackageIds(trx, existing.seq) : [];
  if (existing) {
    await replaceAdvisory(trx, existing, stored);
  } else {
    const seq = await insertAdvisory(trx, stored);
    if (request.assignId) {
      id = `SYN-${now.slice(0, 4)}-${String(seq).padStart(4, '0')}`;
      advisory.document.id = id;
      await assignId(trx, seq, id, JSON.stringify(advisory.document));
    }
  }
  const touched = new Set([...before, ...[...named.values()].map((p) => p.id)]);
  for (const packageId of touched) await touchPackage(trx, packageId, now);
  const action = auditAction(request);
  const details = { id, summary: advisory.summary, level: advisory.severity.level, ...(request.by ? { by: request.by } : {}) };
  for (const pkg of named.values()) {
    await recordAudit(trx, { action, actor: request.actor, package: pkg, details, at: now });
  }
  if (action !== 'advisory_update')
    await notifyDependents(trx, named, advisory.packages, { action, actor: request.actor, details, at: now });
  return id;
}
