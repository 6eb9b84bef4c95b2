import { sql, type Kysely, type Migration } from 'kysely';

/** The first schema. Identity columns differ by dialect; everything else is shared. */
export function initialSchema(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const identity = dialect === 'postgres' ? 'bigserial' : 'integer';
      const autoId = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
        t.addColumn('id', sql.raw(identity), (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()));

      await autoId(db.schema.createTable('users'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();

      await autoId(db.schema.createTable('packages'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('canonical_name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text')
        .addColumn('author', 'text')
        .addColumn('license', 'text')
        .addColumn('homepage', 'text')
        .addColumn('repository', 'text')
        .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('latest_version', 'text')
        .addColumn('downloads', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('package_owners')
        .addColumn('package_id', 'bigint', (c) => c.notNull().references('packages.id').onDelete('cascade'))
        .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('package_owners_pk', ['package_id', 'user_id'])
        .execute();
      await db.schema.createIndex('package_owners_user').on('package_owners').column('user_id').execute();

      await autoId(db.schema.createTable('versions'))
        .addColumn('package_id', 'bigint', (c) => c.notNull().references('packages.id').onDelete('cascade'))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('checksum', 'text', (c) => c.notNull())
        .addColumn('integrity', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('dependencies', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('description', 'text')
        .addColumn('published_by', 'bigint', (c) => c.notNull().references('users.id'))
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('downloads', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('deleted_at', 'text')
        .addUniqueConstraint('versions_package_version', ['package_id', 'version'])
        .execute();
      await db.schema.createIndex('versions_checksum').on('versions').column('checksum').execute();
      await db.schema.createIndex('versions_published_at').on('versions').column('published_at').execute();

      await db.schema
        .createTable('download_counts')
        .addColumn('version_id', 'bigint', (c) => c.notNull().references('versions.id').onDelete('cascade'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('download_counts_pk', ['version_id', 'day'])
        .execute();
      await db.schema.createIndex('download_counts_day').on('download_counts').column('day').execute();

      await autoId(db.schema.createTable('download_log'))
        .addColumn('version_id', 'bigint', (c) => c.notNull().references('versions.id').onDelete('cascade'))
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text')
        .addColumn('downloaded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('download_log_version').on('download_log').column('version_id').execute();

      await autoId(db.schema.createTable('api_tokens'))
        .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('packages', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
    },
  };
}
