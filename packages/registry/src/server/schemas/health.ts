/** Health and statistics. */
export const healthSchema = {
  type: 'object',
  required: ['status', 'checks', 'database', 'storage', 'uptime_seconds'],
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
    uptime_seconds: { type: 'integer', minimum: 0 },
  },
} as const;

export const liveSchema = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
} as const;

const count = { type: 'integer', minimum: 0 } as const;

export const statsSchema = {
  type: 'object',
  required: ['packages', 'versions', 'users', 'downloads', 'generated_at'],
  properties: {
    packages: count,
    versions: count,
    users: count,
    downloads: {
      type: 'object',
      required: ['total', 'last_day', 'last_week', 'last_month'],
      properties: { total: count, last_day: count, last_week: count, last_month: count },
    },
    generated_at: { type: 'string', format: 'date-time' },
  },
} as const;
