/** The account page: API tokens, created with scopes (the secret shown once, in the answer to the POST) and revoked. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../../../core/src/errors.ts';
import { ALL_SCOPES } from '../../auth/index.ts';
import { listTokens } from '../../db/tokens.ts';
import { pendingInvitations } from '../../db/owners.ts';
import { createApiToken, revokeApiToken } from '../../registry/api-tokens.ts';
import type { LiveSession } from '../../server/authenticate.ts';
import type { AppDeps } from '../../server/deps.ts';
import { tokenView } from '../../server/views/user.ts';
import { sendPage } from '../render.ts';
import { checkCsrf, requireWebSession, sessionActor } from '../session.ts';

export async function renderAccount(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  session: LiveSession,
  extra: Record<string, unknown> & { status?: number },
) {
  const db = deps.db.kysely;
  const [rows, invitations] = await Promise.all([
    listTokens(db, session.userId),
    pendingInvitations(db, { inviteeId: session.userId, now: deps.now().toISOString() }),
  ]);
  const tokens = rows.map((row) => tokenView({ ...row, last_used_at: deps.tokenUsage.pending(row.id) ?? row.last_used_at }));
  const { status, ...data } = extra;
  return sendPage(deps, request, reply, {
    template: 'account',
    title: 'Account',
    session,
    status,
    data: { tokens, invitations, scopes: ALL_SCOPES, ...data },
  });
}

/** Notices after a redirect back here (`?revoked=1`, `?declined=1`). */
const NOTICES: Record<string, string> = { revoked: 'The token was revoked.', declined: 'The invitation was declined.' };

export async function accountPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  const session = await requireWebSession(deps, request, reply);
  if (!session) return reply;
  const query = request.query as Record<string, unknown>;
  const notice = Object.keys(NOTICES).find((key) => query[key] === '1');
  return renderAccount(deps, request, reply, session, notice ? { notice: NOTICES[notice] } : {});
}

/** The form's fields as the API's token request: scopes as a list, packages split on commas, days as a number. */
function tokenRequest(body: Record<string, unknown>) {
  const scopes = Array.isArray(body.scopes) ? body.scopes.slice(0, 10) : typeof body.scopes === 'string' ? [body.scopes] : [];
  const packages =
    typeof body.packages === 'string' && body.packages.trim() !== ''
      ? body.packages
          .slice(0, 4000)
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '')
      : undefined;
  const days = typeof body.expires_in_days === 'string' && body.expires_in_days.trim() !== '' ? Number(body.expires_in_days) : undefined;
  return {
    name: typeof body.name === 'string' ? body.name : '',
    scopes,
    ...(packages ? { packages } : {}),
    ...(days === undefined ? {} : { expires_in_days: days }),
  };
}

export async function createTokenSubmit(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  checkCsrf(deps, request);
  const session = await requireWebSession(deps, request, reply);
  if (!session) return reply;
  try {
    const { row, secret } = await createApiToken(
      deps.db.kysely,
      sessionActor(session, request),
      tokenRequest(request.body as Record<string, unknown>),
      deps.now(),
    );
    deps.metrics.tokenCreated();
    return renderAccount(deps, request, reply, session, { status: 201, created: { name: row.name, token: secret } });
  } catch (error) {
    if (!(error instanceof RegistryError) || (error.status !== 400 && error.status !== 409)) throw error;
    return renderAccount(deps, request, reply, session, { status: error.status, error: error.message });
  }
}

export async function revokeTokenSubmit(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  checkCsrf(deps, request);
  const session = await requireWebSession(deps, request, reply);
  if (!session) return reply;
  const id = Number((request.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id < 1) throw new RegistryError(404, 'token_not_found', 'No such token');
  await revokeApiToken(deps.db.kysely, sessionActor(session, request), id, deps.now());
  return reply.redirect('/account?revoked=1', 303);
}
