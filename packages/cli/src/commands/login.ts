import { normalizeRegistry, writeCredential } from '../config.ts';
import type { Context } from '../context.ts';
import { CliError, userError } from '../errors.ts';
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
    if (!username)
      throw userError(
        'username_required',
        'A username is required',
        'Pass --username NAME (and --password-stdin in scripts), or run on a terminal.',
      );
    const password = options.passwordStdin ? await readStdin() : interactive ? await ask('Password: ', { secret: true }) : undefined;
    if (!password)
      throw userError('password_required', 'A password is required', 'Pipe it in with --password-stdin, or run on a terminal.');
    token = await passwordLogin(ctx, username, password);
  }
  return keepToken(ctx, token.trim());
}

/** POST /auth/login; a refusal speaks of the username and password, not of tokens. */
export async function passwordLogin(ctx: Context, username: string, password: string): Promise<string> {
  try {
    return (await apiRequest<{ token: string }>(ctx, { path: '/auth/login', json: { username, password } })).token;
  } catch (error) {
    if (!(error instanceof CliError) || error.data?.status !== 401) throw error;
    throw new CliError(error.exitCode, error.code, error.message, {
      hint: `Check the username and the password (it is case-sensitive), then run synapse pkg login again. No account on ${ctx.registry} yet? Run synapse pkg register.`,
      data: error.data,
    });
  }
}

/** Checks a token with the registry and stores it for this registry. */
export async function keepToken(ctx: Context, token: string): Promise<CommandOutput> {
  const me = await apiRequest<VerifyAnswer>(ctx, { method: 'POST', path: '/auth/verify', json: {}, auth: 'required', token });
  await writeCredential(ctx.env, ctx.registry, { token, username: me.username, kind: me.kind, expires_at: me.expires_at ?? null });
  const registry = normalizeRegistry(ctx.registry);
  return output(
    { registry, username: me.username, kind: me.kind ?? null, expires_at: me.expires_at ?? null },
    `Logged in to ${registry} as ${me.username}${me.expires_at ? ` (until ${me.expires_at})` : ''}`,
  );
}
