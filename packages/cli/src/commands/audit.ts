/**
 * `synapse pkg audit`: every locked version the registry has an advisory for, with the dependency
 * paths that bring it in, the version it is fixed in, and the smallest upgrade the resolver can make
 * (or why there is none). `audit fix` applies those upgrades: it rewrites synapse.lock and installs.
 * Exit 1 when a finding is at or above --audit-level (default low: any finding; an advisory of
 * unknown severity always counts).
 */
import { join } from 'node:path';
import { readLockfile, writeLockfile } from '../../../core/src/lockfile/file.ts';
import type { Lockfile } from '../../../core/src/lockfile/format.ts';
import type { Context } from '../context.ts';
import { EXIT_USER, userError } from '../errors.ts';
import { installSource } from '../install-source.ts';
import { runInstall } from '../install.ts';
import { output, type CommandOutput } from '../output.ts';
import { LOCK_FILE, requireProject } from '../project.ts';
import { lockFindings, type Finding } from '../audit/findings.ts';
import { affectedVersions, planUpgrade, type Plan } from '../audit/plan.ts';
import { describeAudit, LEVELS } from '../audit/text.ts';

export interface AuditOptions {
  auditLevel?: string;
}

/** At most this many vulnerable packages get a resolution of their own (each may fetch metadata). */
const PLANS_CAP = 50;

export interface PackagePlan {
  name: string;
  version: string;
  plan: Plan;
}

function levelGate(raw: string | undefined): number {
  const level = raw ?? 'low';
  const rank = LEVELS.indexOf(level);
  if (rank < 0) throw userError('invalid_option', `--audit-level takes low, moderate, high or critical, not "${level}"`);
  return rank;
}

const failsGate = (findings: readonly Finding[], gate: number) =>
  findings.some((f) => f.level === null || !LEVELS.includes(f.level) || LEVELS.indexOf(f.level) >= gate);

async function projectLock(
  ctx: Context,
): Promise<{ dir: string; lock: Lockfile; root: { name?: string; dependencies: Record<string, string> } }> {
  const { dir, manifest } = await requireProject(ctx);
  const lock = await readLockfile(join(dir, LOCK_FILE));
  if (lock === null)
    throw userError(
      'lockfile_missing',
      `No ${LOCK_FILE} in ${dir}`,
      'Run synapse pkg install first: audit checks what synapse.lock holds.',
    );
  return { dir, lock, root: { name: manifest.name, dependencies: { ...manifest.dependencies } } };
}

/** One plan per vulnerable package (the first PLANS_CAP of them). */
async function plansFor(
  ctx: Context,
  lock: Lockfile,
  root: { name?: string; dependencies: Record<string, string> },
  findings: readonly Finding[],
) {
  const names = [...new Set(findings.map((f) => f.name))].slice(0, PLANS_CAP);
  if (names.length === 0) return { plans: [] as PackagePlan[], source: null, affected: new Map<string, Set<string>>() };
  ctx.progress.step(`Looking for upgrades of ${names.length} package${names.length === 1 ? '' : 's'}`);
  const source = await installSource(ctx, false);
  const affected = await affectedVersions(ctx, source, names);
  const plans: PackagePlan[] = [];
  for (const name of names) {
    const plan = await planUpgrade({ source, lock, root, hidden: new Map([[name, affected.get(name) ?? new Set<string>()]]) });
    plans.push({ name, version: lock.packages.find((p) => p.name === name)!.version, plan });
  }
  return { plans, source, affected };
}

export async function audit(ctx: Context, options: AuditOptions): Promise<CommandOutput> {
  const gate = levelGate(options.auditLevel);
  const { lock, root } = await projectLock(ctx);
  ctx.progress.step(`Auditing ${lock.packages.length} locked package${lock.packages.length === 1 ? '' : 's'}`);
  const findings = await lockFindings(ctx, lock);
  const { plans } = await plansFor(ctx, lock, root, findings);
  const failed = failsGate(findings, gate);
  return output({ findings, fixes: plans, audit_level: LEVELS[gate] }, describeAudit(findings, plans), failed ? EXIT_USER : undefined);
}

/** `audit fix`: applies every upgrade that has a plan, in one resolution, then installs. */
export async function auditFix(ctx: Context, options: AuditOptions): Promise<CommandOutput> {
  const gate = levelGate(options.auditLevel);
  const { dir, lock, root } = await projectLock(ctx);
  const findings = await lockFindings(ctx, lock);
  const { plans, source, affected } = await plansFor(ctx, lock, root, findings);
  const fixable = plans.filter((p) => p.plan.ok).map((p) => p.name);
  let applied: Plan | null = null;
  if (fixable.length > 0 && source) {
    applied = await planUpgrade({ source, lock, root, hidden: new Map(fixable.map((n) => [n, affected.get(n) ?? new Set<string>()])) });
    if (!applied.ok)
      throw userError(
        'audit_fix_conflict',
        `The upgrades cannot be made together: ${applied.message}`,
        'Run synapse pkg audit to see each on its own.',
      );
    await writeLockfile(join(dir, LOCK_FILE), applied.lockfile);
    await runInstall(ctx, { dir, dependencies: root.dependencies, rootName: root.name, flags: {} });
  }
  const remaining = await lockFindings(ctx, (await readLockfile(join(dir, LOCK_FILE)))!);
  const changes = applied?.ok ? applied.changes : [];
  const lines = [
    ...changes.map((c) => `~ ${c.name} ${c.from ?? '(new)'} → ${c.to ?? '(removed)'}`),
    changes.length > 0 ? `synapse.lock updated: ${changes.length} change${changes.length === 1 ? '' : 's'}` : 'Nothing to upgrade',
    remaining.length === 0
      ? 'No advisory affects what synapse.lock holds now'
      : describeAudit(
          remaining,
          plans.filter((p) => !p.plan.ok),
        ),
  ];
  return output({ changes, remaining, audit_level: LEVELS[gate] }, lines.join('\n'), failsGate(remaining, gate) ? EXIT_USER : undefined);
}
