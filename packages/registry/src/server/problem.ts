/**
 * Renders every error as RFC 9457 application/problem+json with a stable `code`: RegistryErrors as
 * they are, Fastify's own errors mapped (fastify-errors.ts), a wrong method as a 405 with `Allow`;
 * anything else is logged and becomes a bare 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import { RegistryError, type FieldError } from '../../../core/src/errors.ts';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/unavailable.ts';
import { drainBody } from './drain-body.ts';
import { fromFastify } from './fastify-errors.ts';
import { upstreamProblem } from './upstream-problems.ts';
import { problemInstance, REQUEST_ID_HEADER } from './request-id.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  /** `urn:synapse:request:<request id>`, the id also in the X-Request-Id header and the logs. */
  instance?: string;
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemOf(error: RegistryError): Problem {
  return {
    type: `https://synapse-lang.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.data ?? {}),
  };
}

export function sendProblem(reply: FastifyReply, error: RegistryError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  const body = { ...problemOf(error), instance: problemInstance(reply.request.id) };
  return reply.status(error.status).type('application/problem+json').send(body);
}

/** Every response carries these, errors from the router (which no hook sees) included. */
export const BASE_SECURITY_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

// A refused body is read to its end, up to these bounds, before the answer (see drain-body.ts).
const DRAIN_LIMITS = { maxBytes: 64 * 1024 * 1024, maxMs: 10_000 };

export interface ProblemHandlerOptions {
  /** The methods some route answers for a path under the API prefix (none: a 404, else a 405). */
  allowedMethods(path: string): string[];
  /** Runs when the answer to a request no route matched is sent (metrics, the request log). */
  onUnmatchedResponse?: onResponseHookHandler;
  /** The answer for an unknown path outside the API (the web's HTML 404 page); problem+json without it. */
  pageNotFound?(request: FastifyRequest, reply: FastifyReply): unknown;
}

async function sendError(error: FastifyError | RegistryError, request: FastifyRequest, reply: FastifyReply) {
  const known =
    error instanceof RegistryError
      ? error
      : (upstreamProblem(error) ?? (isDatabaseUnavailable(error) ? databaseUnavailable(error) : fromFastify(error, request)));
  if (!known) {
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new RegistryError(500, 'internal_error', 'Internal Server Error'));
  }
  if (known.status >= 500) request.log.warn({ err: error }, known.message);
  if (known.status === 413 && !request.raw.complete) {
    await drainBody(request.raw, DRAIN_LIMITS);
    // Whatever is left of the body must not be parsed as the next request.
    reply.header('connection', 'close');
  }
  return sendProblem(reply, known);
}

export function installProblemHandlers(app: FastifyInstance, options: ProblemHandlerOptions): void {
  app.setErrorHandler(sendError);
  // Fastify takes every lifecycle hook here, though its types list only preValidation and preHandler.
  const hooks = options.onUnmatchedResponse ? ({ onResponse: [options.onUnmatchedResponse] } as object) : {};
  app.setNotFoundHandler(hooks, (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (options.pageNotFound && !path.startsWith('/api/')) return options.pageNotFound(request, reply);
    const allow = options.allowedMethods(path);
    if (allow.length > 0) {
      const error = new RegistryError(405, 'method_not_allowed', `${request.method} is not allowed on ${path}; use ${allow.join(', ')}`, {
        headers: { allow: allow.join(', ') },
      });
      return sendProblem(reply, error);
    }
    return sendProblem(reply, new RegistryError(404, 'route_not_found', `No route for ${request.method} ${path}`));
  });
}

/**
 * For Fastify's `frameworkErrors`: a URL the router cannot take, before any hook has run. `observe`
 * is told once the answer has been sent (no route, so no onResponse hook runs for it).
 */
export function frameworkErrorSender(observe?: (request: FastifyRequest, reply: FastifyReply) => void) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    reply.headers(BASE_SECURITY_HEADERS).header(REQUEST_ID_HEADER, request.id);
    if (observe) reply.raw.once('finish', () => observe(request, reply));
    // sendError never rejects: every failure becomes the problem it sends.
    void sendError(error, request, reply);
  };
}
