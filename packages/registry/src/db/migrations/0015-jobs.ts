import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The durable job queue (webhook deliveries first, later mirroring and advisories). Done rows pile
 * up by the million between retention sweeps, so every index the runner reads is partial: claiming
 * walks only queued and running rows, retention only done ones. A running job's `run_at` is its lease
 * expiry, so one range over `jobs_pending` finds both due jobs and jobs of crashed workers.
 */
export function jobsSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', sql.raw(dialect === 'postgres' ? 'bigserial' : 'integer'), (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('ordering_key', 'text')
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('queued').check(sql`state IN ('queued', 'running', 'done', 'dead')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', 'text', (c) => c.notNull())
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      // The literal state lists must stay exactly as the queries in packages/registry/src/jobs write them: SQLite uses a
      // partial index only when the query repeats its WHERE term (and never for a bound parameter).
      await sql`CREATE INDEX jobs_pending ON jobs (run_at, id) WHERE state IN ('queued', 'running')`.execute(db);
      await sql`CREATE INDEX jobs_ordering ON jobs (ordering_key, id) WHERE state IN ('queued', 'running')`.execute(db);
      await sql`CREATE INDEX jobs_done ON jobs (finished_at) WHERE state = 'done'`.execute(db);
      await sql`CREATE INDEX jobs_dead ON jobs (finished_at) WHERE state = 'dead'`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('jobs').execute();
    },
  };
}
