/** GET /admin/dashboard: the fleet's numbers for a range (see views/dashboard.ts). */
const count = { type: 'integer', minimum: 0 } as const;
const time = { type: 'string', format: 'date-time' } as const;
const msOrNull = (what: string) => ({
  type: ['number', 'null'],
  minimum: 0,
  description: `${what} latency in milliseconds, from the summed histogram; null without requests`,
});

const requestStats = {
  requests: count,
  client_errors: { ...count, description: '4xx answers' },
  server_errors: { ...count, description: '5xx answers' },
  error_rate: { type: ['number', 'null'], minimum: 0, maximum: 1, description: 'server_errors / requests; null without requests' },
  p50_ms: msOrNull('Median'),
  p99_ms: msOrNull('99th percentile'),
} as const;
const requestRequired = Object.keys(requestStats);

export const dashboardSchema = {
  type: 'object',
  required: ['range', 'interval', 'from', 'to', 'generated_at', 'totals', 'series', 'routes', 'top_packages', 'health', 'instances'],
  properties: {
    range: { type: 'string', enum: ['hour', 'day', 'month'] },
    interval: { type: 'string', enum: ['minute', 'hour', 'day'], description: 'What one entry of `series` covers' },
    from: { ...time, description: 'Start of the first interval' },
    to: time,
    generated_at: time,
    totals: {
      type: 'object',
      description: 'Every instance together, over the range, as the instances reported it (a report every REGISTRY_FLEET_REPORT_MS)',
      required: [...requestRequired, 'publishes_ok', 'publishes_refused', 'downloads', 'download_bytes'],
      properties: { ...requestStats, publishes_ok: count, publishes_refused: count, downloads: count, download_bytes: count },
    },
    series: {
      type: 'array',
      description:
        'One entry per interval, oldest first: versions published (from the database) and downloads served (reported by the instances)',
      items: {
        type: 'object',
        required: ['start', 'publishes', 'downloads'],
        properties: { start: time, publishes: count, downloads: count },
      },
    },
    routes: {
      type: 'array',
      description: 'The busiest routes (at most 50), by method and route template',
      items: {
        type: 'object',
        required: ['method', 'route', ...requestRequired],
        properties: { method: { type: 'string' }, route: { type: 'string' }, ...requestStats },
      },
    },
    top_packages: {
      type: 'object',
      description: 'The most downloaded packages (at most 10), from the daily download counts since `since` (UTC day)',
      required: ['since', 'packages'],
      properties: {
        since: { type: 'string', format: 'date' },
        packages: {
          type: 'array',
          items: { type: 'object', required: ['name', 'downloads'], properties: { name: { type: 'string' }, downloads: count } },
        },
      },
    },
    health: {
      type: 'object',
      description: 'The readiness checks of /health/ready, run by the instance that answers',
      required: ['status', 'checks', 'database', 'storage'],
      properties: {
        status: { type: 'string', enum: ['ok', 'unavailable'] },
        checks: {
          type: 'object',
          required: ['database', 'storage'],
          properties: {
            database: { type: 'string', description: '"ok" or "failing: <reason>"' },
            storage: { type: 'string', description: '"ok" or "failing: <reason>"' },
          },
        },
        database: { type: 'string', enum: ['sqlite', 'postgres'] },
        storage: { type: 'string' },
      },
    },
    instances: {
      type: 'array',
      description: 'Instances that reported in the last minute (at most 100), by id',
      items: {
        type: 'object',
        required: ['id', 'version', 'started_at', 'last_seen', 'uptime_seconds'],
        properties: { id: { type: 'string' }, version: { type: 'string' }, started_at: time, last_seen: time, uptime_seconds: count },
      },
    },
  },
} as const;
