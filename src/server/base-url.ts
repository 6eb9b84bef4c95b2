import type { FastifyRequest } from 'fastify';
import type { AppDeps } from './deps.ts';

/** The registry's public base URL: configured, or as the client reached us. */
export const baseUrl = (deps: AppDeps, request: FastifyRequest) =>
  deps.config.server.publicUrl ?? `${request.protocol}://${request.host}`;
