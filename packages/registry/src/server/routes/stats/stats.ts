import { registryStats } from '../../../registry/stats.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { statsSchema } from '../../schemas/health.ts';

export const stats = defineRoute({
  method: 'GET',
  url: '/stats',
  limit: 'read',
  schema: {
    summary: 'Registry statistics',
    tags: ['stats'],
    response: { 200: json('Counts and downloads', statsSchema), ...problems(429, 500, 503) },
  },
  async handler(deps) {
    return registryStats(deps.db.kysely, deps.now());
  },
});
