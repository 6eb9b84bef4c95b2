import type { FastifyRequest } from 'fastify';
import type { AppDeps } from './deps.ts';

/**
 * The registry's public base URL: configured, or as the client reached us (the Host header, or
 * X-Forwarded-Host behind a trusted proxy). Production refuses to start with neither (config/server.ts).
 */
export const baseUrl = (deps: AppDeps, request: FastifyRequest) => deps.config.server.publicUrl ?? `${request.protocol}://${request.host}`;
