import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';

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
  const rows = tokens.map(
    (t) =>
      `${String(t.id).padEnd(6)} ${t.name.padEnd(20)} ${t.scopes.join(',').padEnd(16)} ${t.packages?.length ? t.packages.join(',') : 'all packages'}  last used ${t.last_used_at ?? 'never'}  expires ${t.expires_at ?? 'never'}`,
  );
  return output({ tokens }, tokens.length === 0 ? 'No API tokens' : rows.join('\n'));
}

/** Revokes an API token at once. */
export async function tokenRevoke(ctx: Context, id: string): Promise<CommandOutput> {
  await apiRequest(ctx, { method: 'DELETE', path: `/auth/tokens/${encodeURIComponent(id)}`, auth: 'required' });
  return output({ id, revoked: true }, `Revoked token ${id}`);
}
