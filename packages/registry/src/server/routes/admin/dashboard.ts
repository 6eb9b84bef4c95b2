import { badRequest } from '../../../../../core/src/errors.ts';
import { DASHBOARD_RANGES, type DashboardRange } from '../../../metrics/dashboard-range.ts';
import { readDashboard } from '../../../metrics/dashboard.ts';
import type { AppDeps } from '../../deps.ts';
import { checkReadiness } from '../../readiness.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { dashboardSchema } from '../../schemas/dashboard.ts';
import { dashboardView } from '../../views/dashboard.ts';
import { requireAdmin } from './require-admin.ts';

export const DEFAULT_RANGE: DashboardRange = 'day';

/** `range` from a query: hour, day or month (default day); anything else is a 400. */
export function readRange(query: Record<string, unknown>): DashboardRange {
  const raw = query.range;
  if (raw === undefined || raw === '') return DEFAULT_RANGE;
  if (typeof raw === 'string' && (DASHBOARD_RANGES as readonly string[]).includes(raw)) return raw as DashboardRange;
  const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : 'given more than once';
  throw badRequest('invalid_query_parameter', `range must be one of ${DASHBOARD_RANGES.join(', ')} (got ${shown})`, {
    data: { parameter: 'range', allowed: DASHBOARD_RANGES },
  });
}

/** The dashboard's numbers and the readiness checks, read together; shared with the web page. */
export async function dashboardFor(deps: AppDeps, range: DashboardRange) {
  const now = deps.now();
  const [data, readiness] = await Promise.all([readDashboard(deps.db.kysely, { range, now }), checkReadiness(deps)]);
  return dashboardView(data, { readiness, database: deps.db.dialect, storage: deps.store.kind }, now);
}

export const adminDashboardRoute = defineRoute({
  method: 'GET',
  url: '/admin/dashboard',
  limit: 'read',
  schema: {
    summary:
      'The whole fleet over the last hour, day or 30 days: requests, errors, latency by route, publishes, downloads, health, live instances (admins; a session)',
    tags: ['admin'],
    security: [{ bearer: [] }],
    querystring: {
      type: 'object',
      properties: {
        range: {
          description: `${DASHBOARD_RANGES.join(', ')} (the last 60 minutes, 24 hours or 30 days); default ${DEFAULT_RANGE}`,
          examples: ['hour'],
        },
      },
    },
    response: { 200: json('The fleet over the range', dashboardSchema), ...problems(400, 401, 403, 429, 500, 503) },
  },
  async handler(deps, request) {
    await requireAdmin(deps, request);
    return dashboardFor(deps, readRange(request.query as Record<string, unknown>));
  },
});
