import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';

/** Latency slots of a route row: one per bound of the request histogram (1 ms … 10 s) and one above. */
export const FLEET_LATENCY_SLOTS = 14;

/**
 * What each instance reports about itself, so the admin dashboard shows the whole fleet:
 *
 * - `fleet_instances`: one row per instance (its heartbeat: version, start, last report);
 * - `fleet_activity`: publishes, downloads and bytes per instance and time bucket;
 * - `fleet_route_counts`: requests, 4xx, 5xx and a latency histogram per instance, bucket and route
 *   template. The latency slots are counts, not cumulative, so summing rows sums histograms.
 *
 * Buckets come in three spans: `minute` (kept a day, for the last hour), `hour` (kept two days, for the
 * last 24 hours) and `day` (kept a month, for the last 30 days), so no view reads more than 60 buckets.
 * Each report adds to the current bucket of each (an upsert), so a bucket's row count is bounded by
 * instances × route templates, whatever the traffic.
 */
export function fleetReportsSchema(dialect: 'sqlite' | 'postgres'): Migration {
  // Rows are read and pruned by primary-key range only: no rowid needed beside the key on SQLite.
  const compact = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) =>
    dialect === 'sqlite' ? t.modifyEnd(sql`WITHOUT ROWID`) : t;
  const bucketed = <T extends string>(t: CreateTableBuilder<T, never>) =>
    t
      .addColumn('span', 'text', (c) => c.notNull().check(sql`span IN ('minute', 'hour', 'day')`))
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull());
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('fleet_instances')
        .addColumn('instance_id', 'text', (c) => c.primaryKey())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('fleet_instances_last_seen').on('fleet_instances').column('last_seen').execute();

      let activity = bucketed(db.schema.createTable('fleet_activity'));
      for (const column of ['publishes_ok', 'publishes_refused', 'downloads', 'download_bytes']) {
        activity = activity.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
      }
      await compact(activity.addPrimaryKeyConstraint('fleet_activity_pk', ['span', 'bucket', 'instance_id'])).execute();

      let routes = bucketed(db.schema.createTable('fleet_route_counts'))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull());
      const counts = ['requests', 'status_4xx', 'status_5xx', ...Array.from({ length: FLEET_LATENCY_SLOTS }, (_, i) => `lat_${i}`)];
      for (const column of counts) routes = routes.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
      await compact(
        routes.addPrimaryKeyConstraint('fleet_route_counts_pk', ['span', 'bucket', 'instance_id', 'method', 'route']),
      ).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('fleet_route_counts').execute();
      await db.schema.dropTable('fleet_activity').execute();
      await db.schema.dropTable('fleet_instances').execute();
    },
  };
}
