/**
 * Renders every error as RFC 9457 application/problem+json. RegistryErrors and Fastify's own client
 * errors keep their status and message; anything else is logged and becomes a bare 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError, type FieldError } from '../errors.ts';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/unavailable.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
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
  return reply.status(error.status).type('application/problem+json').send(problemOf(error));
}

/** Fastify's own 4xx errors (bad JSON, unsupported media type, schema validation) as RegistryErrors. */
function fromFastify(error: FastifyError): RegistryError | null {
  if (error.validation) {
    const errors = error.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string }).missingProperty;
      const path = `${v.instancePath.replace(/^\//, '').replace(/\//g, '.')}${missing ? (v.instancePath ? '.' : '') + missing : ''}`;
      const field = path || error.validationContext || 'body';
      return { field, message: missing ? `${missing} is required` : `${field} ${v.message ?? 'is invalid'}` };
    });
    return new RegistryError(400, 'validation_failed', errors.map((e) => e.message).join('; '), { errors });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = (error.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase();
    return new RegistryError(status, code, error.message);
  }
  return null;
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | RegistryError, request: FastifyRequest, reply: FastifyReply) => {
    const known = error instanceof RegistryError ? error : isDatabaseUnavailable(error) ? databaseUnavailable(error) : fromFastify(error);
    if (known && known.status < 500) return sendProblem(reply, known);
    if (known) {
      request.log.warn({ err: error }, known.message);
      return sendProblem(reply, known);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new RegistryError(500, 'internal_error', 'Internal Server Error'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new RegistryError(404, 'route_not_found', `No route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}
