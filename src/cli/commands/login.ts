import { normalizeRegistry, writeCredential } from '../config.ts';
import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { ask, readStdin } from '../prompt.ts';

export interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
  /** Store an existing API token instead of logging in with a password. */
  token?: string;
  tokenStdin?: boolean;
}

interface VerifyAnswer {
  username: string;
  kind?: string;
  expires_at?: string | null;
}

/**
 * Logs in to the registry and keeps the session token (or a given API token, after checking it)
 * in the credentials file under the registry's URL.
 */
export async function login(ctx: Context, options: LoginOptions): Promise<CommandOutput> {
  let token = options.token ?? (options.tokenStdin ? await readStdin() : undefined);
  if (token === undefined) {
    const interactive = process.stdin.isTTY === true;
    const username = options.username ?? (interactive ? (await ask('Username: ')).trim() : undefined);
    if (!username) throw userError('username_required', 'A username is required', 'Pass --username NAME (and --password-stdin in scripts), or run on a terminal.');
    const password = options.passwordStdin ? await readStdin() : interactive ? await ask('Password: ', { secret: true }) : undefined;
    if (!password) throw userError('password_required', 'A password is required', 'Pipe it in with --password-stdin, or run on a terminal.');
    const answer = await apiRequest<{ token: string }>(ctx, { path: '/auth/login', json: { username, password } });
    token = answer.token;
  }
  token = token.trim();
  const me = await apiRequest<VerifyAnswer>(ctx, { method: 'POST', path: '/auth/verify', json: {}, auth: 'required', token });
  await writeCredential(ctx.env, ctx.registry, { token, username: me.username, kind: me.kind, expires_at: me.expires_at ?? null });
  const registry = normalizeRegistry(ctx.registry);
  return output(
    { registry, username: me.username, kind: me.kind ?? null, expires_at: me.expires_at ?? null },
    `Logged in to ${registry} as ${me.username}${me.expires_at ? ` (until ${me.expires_at})` : ''}`,
  );
}
