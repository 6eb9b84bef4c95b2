/**
 * The web login: the session JWT the API hands out, kept in an HttpOnly cookie (SameSite=Lax, Secure
 * outside development), and a CSRF token on every form. The token is an HMAC of a random per-browser
 * nonce kept in a second HttpOnly cookie: another site can make a browser send the cookie, never
 * read it, so it cannot forge the field (and SameSite=Lax already keeps the session cookie off its POSTs).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { forbidden } from '../../../core/src/errors.ts';
import { liveSession, sessionActor, type LiveSession } from '../server/authenticate.ts';
import type { AppDeps } from '../server/deps.ts';

export const SESSION_COOKIE = 'synapse_session';
export const CSRF_COOKIE = 'synapse_csrf';

const cookieOptions = (deps: AppDeps) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: deps.config.env !== 'development',
});

/** The session, or null after answering with a redirect to the login page (and back to `next` after it). */
export async function requireWebSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  next = '/account',
): Promise<LiveSession | null> {
  const session = await webSession(deps, request);
  if (!session) void reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
  return session;
}

/** The signed-in user behind the session cookie, or null (no cookie, or expired, revoked, logged out). */
export async function webSession(deps: AppDeps, request: FastifyRequest): Promise<LiveSession | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 4096) return null;
  return liveSession(deps, token);
}

export { sessionActor };

export function setSessionCookie(deps: AppDeps, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(deps), expires: expiresAt });
}

export function clearSessionCookie(deps: AppDeps, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(deps));
}

const tokenFor = (deps: AppDeps, nonce: string) => createHmac('sha256', deps.secret).update(`csrf:${nonce}`).digest('base64url');

/** The CSRF token for this browser's forms, giving it a nonce cookie first when it has none. */
export function csrfToken(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): string {
  let nonce = request.cookies[CSRF_COOKIE];
  if (!nonce || !/^[A-Za-z0-9_-]{24}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    reply.setCookie(CSRF_COOKIE, nonce, cookieOptions(deps));
    // Later renders in this request (an error page after a failed POST) use the new nonce.
    request.cookies[CSRF_COOKIE] = nonce;
  }
  return tokenFor(deps, nonce);
}

/** Refuses a form whose `_csrf` field is not this browser's token (403 `csrf_failed`). */
export function checkCsrf(deps: AppDeps, request: FastifyRequest): void {
  const nonce = request.cookies[CSRF_COOKIE];
  const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
  const ok =
    typeof nonce === 'string' &&
    typeof sent === 'string' &&
    sent.length === 43 &&
    timingSafeEqual(Buffer.from(sent), Buffer.from(tokenFor(deps, nonce)));
  if (!ok) throw forbidden('csrf_failed', 'This form expired or came from another site: go back, reload the page and send it again');
}
