import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../../../core/src/errors.ts';
import {
  hashApiToken,
  looksLikeApiToken,
  parseBearer,
  tokenAllows,
  verifySessionToken,
  type Scope,
  type SessionClaims,
} from '../auth/index.ts';
import { findLiveToken } from '../db/tokens.ts';
import { findSessionUser } from '../db/users.ts';
import type { Actor, ClientInfo } from '../registry/publisher.ts';
import type { AppDeps } from './deps.ts';

/** The actor behind `Authorization: Bearer …` (a session JWT or an API token), or a 401. */
export async function authenticate(deps: AppDeps, request: FastifyRequest): Promise<Actor> {
  const actor = await identify(deps, request);
  if (!actor) throw unauthorized(request.headers.authorization ? 'The token is invalid, expired or revoked: log in again' : undefined);
  return actor;
}

/** Like authenticate, but null instead of a 401; used to key per-user rate limits. */
export async function identify(deps: AppDeps, request: FastifyRequest): Promise<Actor | null> {
  const bearer = parseBearer(request.headers.authorization);
  if (bearer === null) return null;
  const db = deps.db.kysely;
  if (looksLikeApiToken(bearer)) {
    const now = deps.now().toISOString();
    const token = await findLiveToken(db, hashApiToken(bearer), now);
    if (!token) return null;
    // Buffered and written on a timer: authenticating a request, a GET included, never writes.
    deps.tokenUsage.used(token.id, token.last_used_at, now);
    const grant = {
      scopes: JSON.parse(token.scopes) as Scope[],
      packages: token.packages === null ? null : (JSON.parse(token.packages) as string[]),
    };
    return {
      userId: token.user_id,
      username: token.username,
      via: 'token',
      tokenId: token.id,
      isAdmin: token.is_admin === 1,
      client: clientInfo(request),
      allows: (scope, name) => tokenAllows(grant, scope, name),
      allowsSome: (scope) => grant.scopes.includes(scope) && (grant.packages === null || grant.packages.length > 0),
      allowsEvery: (scope) => grant.scopes.includes(scope) && grant.packages === null,
    };
  }
  const session = await liveSession(deps, bearer);
  return session ? sessionActor(session, request) : null;
}

/** A signed-in user as the domain's actor: a session may do everything its user may. */
export function sessionActor(session: LiveSession, request: FastifyRequest): Actor {
  return {
    userId: session.userId,
    username: session.username,
    via: 'session',
    tokenId: null,
    isAdmin: session.isAdmin,
    client: clientInfo(request),
    allows: () => true,
    allowsSome: () => true,
    allowsEvery: () => true,
  };
}

/** The address and user agent the audit log records (the agent cut to 256 characters). */
export function clientInfo(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent.slice(0, 256) : null };
}

/** A session's claims, with the user id as the number the database uses. */
export type LiveSession = Omit<SessionClaims, 'userId'> & { userId: number; isAdmin: boolean };

/**
 * A session JWT that is valid now: good signature and times, its user active, not logged out
 * (deny-listed jti) and not older than the user's last "log out everywhere". One query per call.
 */
export async function liveSession(deps: AppDeps, bearer: string): Promise<LiveSession | null> {
  const claims = await verifySessionToken(bearer, { secret: deps.secret, now: deps.now() });
  if (!claims) return null;
  const userId = Number(claims.userId);
  if (!Number.isSafeInteger(userId)) return null;
  const user = await findSessionUser(deps.db.kysely, userId, claims.tokenId);
  if (!user || user.is_active !== 1 || user.revoked_jti !== null) return null;
  if (claims.generation !== Number(user.session_generation)) return null;
  return { ...claims, userId, username: user.username, isAdmin: Number(user.is_admin) === 1 };
}
