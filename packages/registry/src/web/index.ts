/**
 * The registry's web pages, served by the same app under `/` (the API stays under /api/v1). An
 * encapsulated plugin: its form parser, cookies, headers and HTML error pages apply to the pages only.
 */
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  onResponseHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import type { AppDeps } from '../server/deps.ts';
import { registerAssets } from './assets.ts';
import { PAGE_HEADERS } from './security-headers.ts';
import { homePage } from './pages/home.ts';
import { searchPage } from './pages/search.ts';
import { packagePage } from './pages/package.ts';
import { userPage } from './pages/user.ts';
import { loginForm, loginSubmit, logoutSubmit, registerForm, registerSubmit } from './pages/auth.ts';
import { accountPage, createTokenSubmit, revokeTokenSubmit } from './pages/account.ts';
import { notFoundPage, pageErrorHandler } from './pages/errors.ts';
import { dashboardPage } from './pages/dashboard.ts';
import { cancelInvitationSubmit, inviteOwnerSubmit, removeOwnerSubmit } from './pages/owners.ts';
import { acceptInvitationSubmit, declineInvitationSubmit } from './pages/invitations.ts';
import { createWebhookSubmit, webhooksPage } from './pages/webhooks.ts';
import { deleteWebhookSubmit, switchWebhookSubmit } from './pages/webhook-changes.ts';
import { webhookDeliveriesPage } from './pages/webhook-deliveries.ts';

type Page = (deps: AppDeps, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface WebLimits {
  read: onRequestHookHandler[];
  /** onResponse: a change's queued jobs (webhook deliveries) start at once, as after the API's writes. */
  write: { onRequest: onRequestHookHandler[]; preHandler: preHandlerHookHandler[]; onResponse: onResponseHookHandler[] };
}

const PAGES: { method: 'GET' | 'POST'; url: string; page: Page }[] = [
  { method: 'GET', url: '/', page: homePage },
  { method: 'GET', url: '/search', page: searchPage },
  { method: 'GET', url: '/packages/:name', page: packagePage },
  { method: 'GET', url: '/packages/:name/:version', page: packagePage },
  { method: 'GET', url: '/users/:username', page: userPage },
  { method: 'GET', url: '/login', page: loginForm },
  { method: 'POST', url: '/login', page: loginSubmit },
  { method: 'GET', url: '/register', page: registerForm },
  { method: 'POST', url: '/register', page: registerSubmit },
  { method: 'POST', url: '/logout', page: logoutSubmit },
  { method: 'GET', url: '/account', page: accountPage },
  { method: 'POST', url: '/account/tokens', page: createTokenSubmit },
  { method: 'POST', url: '/account/tokens/:id/revoke', page: revokeTokenSubmit },
  { method: 'GET', url: '/admin/dashboard', page: dashboardPage },
  { method: 'POST', url: '/account/invitations/:name/accept', page: acceptInvitationSubmit },
  { method: 'POST', url: '/account/invitations/:name/decline', page: declineInvitationSubmit },
  { method: 'POST', url: '/packages/:name/owners', page: inviteOwnerSubmit },
  { method: 'POST', url: '/packages/:name/owners/:username/remove', page: removeOwnerSubmit },
  { method: 'POST', url: '/packages/:name/invitations/:username/cancel', page: cancelInvitationSubmit },
  { method: 'GET', url: '/account/webhooks', page: webhooksPage },
  { method: 'POST', url: '/account/webhooks', page: createWebhookSubmit },
  { method: 'GET', url: '/account/webhooks/:id', page: webhookDeliveriesPage },
  { method: 'POST', url: '/account/webhooks/:id/active', page: switchWebhookSubmit },
  { method: 'POST', url: '/account/webhooks/:id/delete', page: deleteWebhookSubmit },
];

/** The static words of the page paths, for the router-words list. */
export const PAGE_PATHS = PAGES.map((p) => p.url);

export async function registerWeb(app: FastifyInstance, deps: AppDeps, limits: WebLimits): Promise<void> {
  // biome-ignore lint/nursery/noMisusedPromises: Fastify awaits an async plugin (its register takes either form).
  await app.register(async (web) => {
    await web.register(formbody, { bodyLimit: 64 * 1024 });
    await web.register(cookie);
    web.addHook('onRequest', async (_request, reply) => {
      reply.headers(PAGE_HEADERS);
    });
    web.setErrorHandler((error, request, reply) => pageErrorHandler(deps, error as Parameters<typeof pageErrorHandler>[1], request, reply));
    registerAssets(web, limits.read);
    for (const { method, url, page } of PAGES) {
      const hooks = method === 'GET' ? { onRequest: limits.read } : limits.write;
      // Pages are not API operations: kept out of the OpenAPI document.
      web.route({ method, url, schema: { hide: true }, ...hooks, handler: (request, reply) => page(deps, request, reply) });
    }
  });
}

/** The answer for a path no route has, outside the API: an HTML 404 page. */
export function sendPageNotFound(deps: AppDeps, request: FastifyRequest, reply: FastifyReply) {
  reply.headers(PAGE_HEADERS);
  return notFoundPage(deps, request, reply);
}
