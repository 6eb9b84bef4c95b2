/** The text `synapse pkg audit` prints: each finding, its path and fix, then one line of counts. */
import { oneLine } from '../lifecycle-warnings.ts';
import type { Finding } from './findings.ts';
import type { Plan } from './plan.ts';

export const LEVELS = ['low', 'moderate', 'high', 'critical'];

function fixLine(finding: Finding, plan: Plan | undefined): string {
  if (!plan) return '  fix: not looked for (too many vulnerable packages at once); run audit again after fixing some';
  if (!plan.ok) return `  fix: ${plan.message}`;
  const own = plan.changes.find((c) => c.name === finding.name);
  const others = plan.changes.filter((c) => c.name !== finding.name).map((c) => `${c.name} ${c.from ?? '(new)'} → ${c.to ?? '(removed)'}`);
  const move = own ? `${own.name} ${own.from} → ${own.to ?? '(no longer needed)'}` : 'no change needed';
  return `  fix: ${move}${others.length ? ` (with ${others.join(', ')})` : ''}; run synapse pkg audit fix`;
}

function findingLines(finding: Finding, plan: Plan | undefined): string[] {
  const level = finding.level ?? 'unknown severity';
  const aka = finding.aliases.length ? ` (${finding.aliases.slice(0, 3).map(oneLine).join(', ')})` : '';
  return [
    `${finding.name} ${finding.version}  ${oneLine(finding.id)}${aka}  ${level}`,
    `  ${oneLine(finding.summary) || '(no summary)'}`,
    ...finding.paths.map((p) => `  path: ${p.join(' → ')}`),
    `  fixed in: ${finding.fixed ?? 'no fixed version named'}`,
    fixLine(finding, plan),
  ];
}

export function describeAudit(findings: readonly Finding[], plans: readonly { name: string; plan: Plan }[]): string {
  if (findings.length === 0) return 'No known advisory affects what synapse.lock holds';
  const planOf = new Map(plans.map((p) => [p.name, p.plan]));
  const counts = [...LEVELS]
    .reverse()
    .map((l) => [l, findings.filter((f) => f.level === l).length] as const)
    .filter(([, n]) => n > 0);
  const unknown = findings.filter((f) => f.level === null || !LEVELS.includes(f.level)).length;
  const parts = [...counts.map(([l, n]) => `${n} ${l}`), ...(unknown ? [`${unknown} of unknown severity`] : [])];
  const packages = new Set(findings.map((f) => f.name)).size;
  const fixable = plans.filter((p) => p.plan.ok).length;
  const summary =
    `${findings.length} advisor${findings.length === 1 ? 'y' : 'ies'} in ${packages} package${packages === 1 ? '' : 's'} (${parts.join(', ')}); ` +
    `${fixable} package${fixable === 1 ? '' : 's'} can be upgraded with synapse pkg audit fix`;
  return [...findings.flatMap((f) => [...findingLines(f, planOf.get(f.name)), '']), summary].join('\n');
}
