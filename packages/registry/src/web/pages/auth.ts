/** Log in, register and log out, with the session in a cookie and a CSRF token on every form. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../../../core/src/errors.ts';
import { passwordLogin } from '../../registry/login.ts';
import { registerUser } from '../../registry/register.ts';
import { revokeSession } from '../../db/tokens.ts';
import { clientInfo } from '../../server/authenticate.ts';
import { loginDeps } from '../../server/routes/auth/login.ts';
import type { AppDeps } from '../../server/deps.ts';
import { field } from '../form.ts';
import { sendPage } from '../render.ts';
import { checkCsrf, clearSessionCookie, setSessionCookie, webSession } from '../session.ts';

/** Where to go after logging in: a path on this site only (never `//host` or a full URL). */
export const safeNext = (next: string): string => (/^\/(?![/\\])[^\s]*$/.test(next) ? next : '/account');

export async function loginForm(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const next = safeNext(field(request.query, 'next'));
  return sendPage(deps, request, reply, { template: 'login', title: 'Log in', forms: true, data: { next } });
}

export async function loginSubmit(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  checkCsrf(deps, request);
  const username = field(request.body, 'username');
  const next = safeNext(field(request.body, 'next'));
  try {
    const { token, expiresAt } = await passwordLogin(loginDeps(deps), {
      username,
      password: field(request.body, 'password'),
      client: clientInfo(request),
    });
    setSessionCookie(deps, reply, token, expiresAt);
    return reply.redirect(next, 303);
  } catch (error) {
    if (!(error instanceof RegistryError) || error.status !== 401) throw error;
    return sendPage(deps, request, reply, {
      template: 'login',
      title: 'Log in',
      status: 401,
      forms: true,
      session: null,
      data: { next, username, error: 'Wrong username or password.' },
    });
  }
}

export async function registerForm(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  return sendPage(deps, request, reply, { template: 'register', title: 'Create an account', forms: true, data: {} });
}

export async function registerSubmit(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  checkCsrf(deps, request);
  const input = {
    username: field(request.body, 'username'),
    email: field(request.body, 'email'),
    password: field(request.body, 'password'),
  };
  try {
    await registerUser({ db: deps.db.kysely, passwords: deps.passwords }, input, deps.now());
  } catch (error) {
    if (!(error instanceof RegistryError) || (error.status !== 400 && error.status !== 409)) throw error;
    const errors = error.errors?.map((e) => e.message) ?? [];
    return sendPage(deps, request, reply, {
      template: 'register',
      title: 'Create an account',
      status: error.status,
      forms: true,
      session: null,
      data: { username: input.username, email: input.email, error: errors.length > 0 ? 'Please fix these:' : error.message, errors },
    });
  }
  // A new account is logged in at once.
  const { token, expiresAt } = await passwordLogin(loginDeps(deps), {
    username: input.username,
    password: input.password,
    client: clientInfo(request),
  });
  setSessionCookie(deps, reply, token, expiresAt);
  return reply.redirect('/account', 303);
}

export async function logoutSubmit(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  checkCsrf(deps, request);
  const session = await webSession(deps, request);
  if (session) {
    await revokeSession(deps.db.kysely, {
      jti: session.tokenId,
      userId: session.userId,
      expiresAt: session.expiresAt.toISOString(),
      now: deps.now().toISOString(),
    });
  }
  clearSessionCookie(deps, reply);
  return reply.redirect('/', 303);
}
