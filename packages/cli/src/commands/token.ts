import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { formatTable } from '../table.ts';

/** `2026-06-01 12:00` from an ISO time; null for none. */
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : null);

interface TokenView {
  id: number | string;
  name: string;
  scopes: string[];
  packages?: string[] | null;
  created_at?: string;
  last_used_at?: string | null;
  expires_at?: string | null;
  token?: string;
}

export interface TokenCreateOptions {
  scope?: string[];
  package?: string[];
  expiresInDays?: string;
}

/** Creates an API token; its secret is shown once. */
export async function tokenCreate(ctx: Context, name: string, options: TokenCreateOptions): Promise<CommandOutput> {
  const scopes = options.scope && options.scope.length > 0 ? options.scope : ['publish'];
  const body: Record<string, unknown> = { name, scopes };
  if (options.package && options.package.length > 0) body.packages = options.package;
  if (options.expiresInDays !== undefined) {
    const days = Number(options.expiresInDays);
    if (!Number.isInteger(days) || days <= 0) throw userError('invalid_option', '--expires-in-days takes a whole number of days');
    body.expires_in_days = days;
  }
  const created = await apiRequest<TokenView>(ctx, { path: '/auth/tokens', json: body, auth: 'required' });
  return output(
    created,
    [
      `Created token ${created.name} (id ${created.id}, scopes ${created.scopes.join(', ')}${created.expires_at ? `, expires ${created.expires_at}` : ''})`,
      created.token ?? '',
      'This is the only time the token is shown; keep it somewhere safe (e.g. as SYNAPSE_TOKEN in CI).',
    ].join('\n'),
  );
}

/** Lists the user's API tokens (never their secrets). */
export async function tokenList(ctx: Context): Promise<CommandOutput> {
  const answer = await apiRequest<{ tokens: TokenView[] } | TokenView[]>(ctx, { path: '/auth/tokens', auth: 'required' });
  const tokens = Array.isArray(answer) ? answer : answer.tokens;
  const table = formatTable(
    ['ID', 'Name', 'Scopes', 'Packages', 'Last used', 'Expires'],
    tokens.map((t) => [
      String(t.id),
      t.name,
      t.scopes.join(','),
      t.packages?.length ? t.packages.join(',') : 'all',
      day(t.last_used_at) ?? 'never',
      day(t.expires_at) ?? 'never',
    ]),
  );
  return output({ tokens }, tokens.length === 0 ? 'No API tokens (synapse pkg token create NAME makes one)' : table);
}

/** Revokes an API token at once. */
export async function tokenRevoke(ctx: Context, id: string): Promise<CommandOutput> {
  await apiRequest(ctx, { method: 'DELETE', path: `/auth/tokens/${encodeURIComponent(id)}`, auth: 'required' });
  return output({ id, revoked: true }, `Revoked token ${id}`);
}
