import { checkPasswordPolicy } from '../../../core/src/auth/password-policy.ts';
import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { ask, readStdin } from '../prompt.ts';
import { keepToken, passwordLogin } from './login.ts';

export interface RegisterOptions {
  username?: string;
  email?: string;
  passwordStdin?: boolean;
}

// A terminal user gets a few tries at a password the policy accepts; bounded so a stuck input ends.
const PASSWORD_TRIES = 3;

/** Asks for a new password twice (hidden), checking the registry's policy before sending it. */
async function askNewPassword(username: string): Promise<string> {
  for (let attempt = 1; attempt <= PASSWORD_TRIES; attempt++) {
    const password = await ask('Password: ', { secret: true });
    const weak = checkPasswordPolicy(password, { username });
    if (weak) {
      process.stderr.write(`${weak}\n`);
      continue;
    }
    if ((await ask('Password again: ', { secret: true })) === password) return password;
    process.stderr.write('The passwords differ; once more.\n');
  }
  throw userError('password_invalid', `No acceptable password after ${PASSWORD_TRIES} tries`);
}

/**
 * Creates an account on the registry (POST /auth/register), then logs in and keeps the session
 * token, so a new user goes from nothing to publishing without curl.
 */
export async function register(ctx: Context, options: RegisterOptions): Promise<CommandOutput> {
  const interactive = process.stdin.isTTY === true;
  const need = (flag: string) => `Pass ${flag} (and --password-stdin in scripts), or run on a terminal.`;
  const username = options.username ?? (interactive ? (await ask('Username: ')).trim() : undefined);
  if (!username) throw userError('username_required', 'A username is required', need('--username NAME'));
  const email = options.email ?? (interactive ? (await ask('Email: ')).trim() : undefined);
  if (!email) throw userError('email_required', 'An email address is required', need('--email ADDRESS'));
  let password: string | undefined;
  if (options.passwordStdin) {
    password = await readStdin();
    const weak = checkPasswordPolicy(password, { username });
    if (weak) throw userError('password_invalid', weak, 'Choose another password.');
  } else if (interactive) {
    password = await askNewPassword(username);
  }
  if (!password) throw userError('password_required', 'A password is required', 'Pipe it in with --password-stdin, or run on a terminal.');
  await apiRequest(ctx, { path: '/auth/register', json: { username, email, password } });
  const session = await keepToken(ctx, await passwordLogin(ctx, username, password));
  return output(
    { ...(session.data as Record<string, unknown>), registered: true },
    `Created the account ${username} on ${ctx.registry}\n${session.text}`,
  );
}
