import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';

interface AuditEntry {
  id: number;
  at: string;
  action: string;
  actor: string | null;
  token_id: number | null;
  package: string | null;
  version: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  user_agent: string | null;
}

interface AuditAnswer {
  total: number;
  page: number;
  per_page: number;
  results: AuditEntry[];
}

export interface AuditLogOptions {
  page?: string;
  perPage?: string;
}

/** A package's audit log, newest first (owners and admins). */
export async function auditLog(ctx: Context, name: string, options: AuditLogOptions): Promise<CommandOutput> {
  const params = new URLSearchParams();
  for (const [key, value] of [
    ['page', options.page],
    ['per_page', options.perPage],
  ] as const) {
    if (value === undefined) continue;
    if (!/^\d+$/.test(value)) throw userError('invalid_option', `--${key.replace('_', '-')} takes a positive whole number`);
    params.set(key, value);
  }
  const query = params.size > 0 ? `?${params}` : '';
  const answer = await apiRequest<AuditAnswer>(ctx, { path: `/packages/${seg(name)}/audit${query}`, auth: 'required' });
  if (answer.results.length === 0)
    return output(answer, answer.total === 0 ? `${name} has no audit entries` : `No entries on page ${answer.page}`);
  const lines = answer.results.map(describe);
  const first = (answer.page - 1) * answer.per_page + 1;
  lines.push(`${first}–${first + answer.results.length - 1} of ${answer.total}, newest first`);
  return output(answer, lines.join('\n'));
}

/** One line: when, what (with the version), who (and through which token), then the details. */
function describe(e: AuditEntry): string {
  const what = e.version ? `${e.action} ${e.version}` : e.action;
  const who = e.actor === null ? '(no user)' : e.token_id === null ? e.actor : `${e.actor} (token ${e.token_id})`;
  const details = Object.entries(e.details)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const from = e.ip ? `from ${e.ip}` : '';
  return [e.at, what.padEnd(22), who, ...details, from].filter(Boolean).join('  ');
}
