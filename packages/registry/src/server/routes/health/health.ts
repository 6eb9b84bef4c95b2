import type { FastifyReply } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { healthSchema, liveSchema } from '../../schemas/health.ts';
import { checkReadiness } from '../../readiness.ts';

const started = Date.now();

/** Database and storage both answer: 200; otherwise 503 with what failed. */
async function readiness(deps: AppDeps, reply: FastifyReply) {
  const { ok, checks } = await checkReadiness(deps);
  return reply.status(ok ? 200 : 503).send({
    status: ok ? 'ok' : 'unavailable',
    checks,
    database: deps.db.dialect,
    storage: deps.store.kind,
    uptime_seconds: Math.round((Date.now() - started) / 1000),
  });
}

const healthResponses = {
  200: json('Database and storage answer', healthSchema),
  503: json('The database or the storage does not answer (see checks)', healthSchema),
  ...problems(500),
};

export const health = defineRoute({
  method: 'GET',
  url: '/health',
  limit: 'none',
  schema: { summary: 'Health: checks the database and the storage', tags: ['health'], response: healthResponses },
  handler: (deps, _request, reply) => readiness(deps, reply),
});

export const ready = defineRoute({
  method: 'GET',
  url: '/health/ready',
  limit: 'none',
  schema: { summary: 'Readiness for load balancers: database and storage reachable', tags: ['health'], response: healthResponses },
  handler: (deps, _request, reply) => readiness(deps, reply),
});

export const live = defineRoute({
  method: 'GET',
  url: '/health/live',
  limit: 'none',
  schema: {
    summary: 'Liveness: the process answers',
    tags: ['health'],
    response: { 200: json('The process answers', liveSchema), ...problems(500) },
  },
  handler: async () => ({ status: 'ok' }),
});
