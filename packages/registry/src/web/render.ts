/**
 * Pages from Eta templates, which escape every `<%= %>` by default; the only raw output (`<%~ %>`)
 * is HTML made here or by the README sanitiser. Templates are compiled once, at startup.
 */
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../server/deps.ts';
import { ASSETS } from './assets.ts';
import { fmt } from './format.ts';
import { csrfToken, webSession } from './session.ts';
import type { LiveSession } from '../server/authenticate.ts';
import { TEMPLATES } from './templates/index.ts';

const eta = new Eta({ autoEscape: true, autoTrim: [false, 'nl'], cache: true, useWith: false });
for (const [name, text] of Object.entries(TEMPLATES)) eta.loadTemplate(`@${name}`, text);

export interface PageOptions {
  template: keyof typeof TEMPLATES;
  /** The page's body already rendered (from a cache): the template is not run. */
  body?: string;
  title: string;
  description?: string;
  status?: number;
  /** The session, when the route looked it up already (else the cookie is read here). */
  session?: LiveSession | null;
  /** The page holds a form, so it needs a CSRF token even for a visitor who is not logged in. */
  forms?: boolean;
  /** The search box's text. */
  query?: string;
  data?: Record<string, unknown>;
}

/** Renders a page in the layout and sends it. */
export async function sendPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, options: PageOptions): Promise<FastifyReply> {
  const session = options.session !== undefined ? options.session : await webSession(deps, request);
  const csrf = session || options.forms ? csrfToken(deps, request, reply) : '';
  const common = {
    fmt,
    assets: ASSETS,
    user: session ? { username: session.username, isAdmin: session.isAdmin } : null,
    csrf,
    query: options.query ?? '',
  };
  const body = options.body ?? eta.render(`@${options.template}`, { ...common, ...options.data });
  const html = eta.render('@layout', { ...common, title: options.title, description: options.description ?? '', body });
  // Pages differ by who is logged in: never shared by a cache, always revalidated.
  reply.header('cache-control', session || options.forms ? 'private, no-store' : 'no-cache');
  return reply
    .status(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(html);
}

/** An included template rendered on its own (a partial inside another page's data). */
export const renderPartial = (name: keyof typeof TEMPLATES, data: Record<string, unknown>): string =>
  eta.render(`@${name}`, { fmt, ...data });
