/** HTML error pages for page paths (the API keeps its problem+json). */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../../../core/src/errors.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import type { AppDeps } from '../../server/deps.ts';
import { sendPage } from '../render.ts';

const HEADINGS: Record<number, string> = {
  400: 'That request was not understood',
  403: 'Not allowed',
  404: 'Page not found',
  413: 'Too large',
  429: 'Too many requests',
  503: 'Temporarily unavailable',
};

export function notFoundPage(deps: AppDeps, request: FastifyRequest, reply: FastifyReply, message?: string) {
  return errorPage(deps, request, reply, { status: 404, message: message ?? `Nothing lives at ${request.url.split('?')[0]}.` });
}

export async function errorPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  error: { status: number; message: string },
): Promise<FastifyReply> {
  const heading = HEADINGS[error.status] ?? 'Something went wrong';
  // The session lookup itself may be what failed: an error page never depends on it.
  return sendPage(deps, request, reply, {
    template: 'error',
    title: heading,
    status: error.status,
    session: null,
    data: { heading, message: error.message },
  });
}

/** The error handler of the page routes: what the user can act on is said, the rest is a bare 500. */
export async function pageErrorHandler(deps: AppDeps, error: FastifyError | RegistryError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof RegistryError) {
    if (error.headers) reply.headers(error.headers);
    return errorPage(deps, request, reply, { status: error.status, message: error.message });
  }
  if (isDatabaseUnavailable(error))
    return errorPage(deps, request, reply, {
      status: 503,
      message: 'The registry cannot reach its database just now; try again in a moment.',
    });
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'unhandled error on a page');
  return errorPage(deps, request, reply, {
    status,
    message: status === 500 ? 'The registry failed to build this page. Try again; if it keeps failing, tell the operators.' : error.message,
  });
}
