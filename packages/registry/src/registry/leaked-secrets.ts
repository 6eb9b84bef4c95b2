/**
 * What a publish does with credentials found in its tarball (packages/core/src/tarball/secret-scan.ts). A live
 * `syn_` token of this registry is revoked at once, whatever happens to the publish: it has left its
 * owner's hands. The revocation and the finding are written to the audit log in their own transaction
 * (the owner sees it in their account's log; the package's webhooks hear `package.secret_detected`).
 * Then the publish is refused with `secret_detected`, naming each file and line, unless the publisher
 * said the findings are not secrets (`allow_secrets`). The secret itself is never stored or shown.
 */
import { hashApiToken } from '../auth/index.ts';
import { findPackage } from '../db/packages.ts';
import { findLiveToken } from '../db/tokens.ts';
import type { Db } from '../db/users.ts';
import { RegistryError } from '../../../core/src/errors.ts';
import type { NumberedFinding as SecretFinding, SecretKind } from '../../../core/src/tarball/index.ts';
import { recordAudit } from './audit.ts';
import type { Actor } from './publisher.ts';

const LABELS: Record<SecretKind, string> = {
  synapse_token: 'an API token of this registry (syn_…)',
  aws_access_key: 'an AWS access key',
  private_key: 'a private key',
  github_token: 'a GitHub token',
  slack_token: 'a Slack token',
  stripe_key: 'a Stripe live key',
  npm_token: 'an npm token',
};

export interface LeakDeps {
  db: { kysely: Db };
  now: () => Date;
}

const where = (f: SecretFinding) => `${f.path} line ${f.line}`;

/** Revokes the live tokens among the findings and audits them; returns how many were revoked. */
async function revokeLeaked(deps: LeakDeps, actor: Actor, packageName: string, findings: readonly SecretFinding[]): Promise<number> {
  const at = deps.now().toISOString();
  return deps.db.kysely.transaction().execute(async (trx) => {
    const pkg = await findPackage(trx, packageName);
    const target = pkg ? { id: pkg.id, name: pkg.name } : null;
    const revoked: number[] = [];
    for (const finding of findings) {
      if (!finding.token) continue;
      const token = await findLiveToken(trx, hashApiToken(finding.token), at);
      if (!token || revoked.includes(token.id)) continue;
      await trx.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', token.id).where('revoked_at', 'is', null).execute();
      revoked.push(token.id);
      const details = { token_id: token.id, reason: 'found in a package tarball at publish', path: finding.path, line: finding.line };
      await recordAudit(trx, { action: 'token_revoke', actor, subjectUserId: token.user_id, package: target, details, at });
    }
    const listed = findings.map((f) => ({ kind: f.kind, path: f.path, line: f.line }));
    await recordAudit(trx, {
      action: 'secret_detected',
      actor,
      package: target,
      details: { findings: listed, revoked_tokens: revoked.length },
      at,
    });
    return revoked.length;
  });
}

/** Acts on the findings of a publish (see the module comment); returns when the publish may go on. */
export async function handleLeakedSecrets(
  deps: LeakDeps,
  actor: Actor,
  packageName: string,
  findings: readonly SecretFinding[],
  allow: boolean,
): Promise<void> {
  if (findings.length === 0) return;
  const revoked = await revokeLeaked(deps, actor, packageName, findings);
  if (allow) return;
  const first = findings[0]!;
  const more =
    findings.length > 1
      ? ` (and ${findings.length - 1} more: ${findings.slice(1, 4).map(where).join(', ')}${findings.length > 4 ? ', …' : ''})`
      : '';
  const revokedNote =
    revoked > 0 ? ` ${revoked === 1 ? 'The live token found was' : `The ${revoked} live tokens found were`} revoked.` : '';
  throw new RegistryError(
    400,
    'secret_detected',
    `${where(first)} holds what looks like ${LABELS[first.kind]}${more}; nothing was published.${revokedNote} Remove it from the package ` +
      '(and rotate it), or, if it is not a secret, publish again with allow_secrets=true (synapse pkg publish --allow-secrets)',
    { data: { findings: findings.map((f) => ({ kind: f.kind, path: f.path, line: f.line })), revoked_tokens: revoked } },
  );
}
