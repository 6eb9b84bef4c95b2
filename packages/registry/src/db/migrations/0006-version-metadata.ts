import { sql, type Kysely, type Migration } from 'kysely';

const FIELDS = ['author', 'license', 'homepage', 'repository'] as const;

/**
 * Each version keeps the author, license and links of its own manifest, so deleting the latest
 * version gives the package those of the version that is latest now. Versions published before
 * this migration take their package's values, the only ones known (what the package showed).
 */
export function versionMetadataSchema(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const field of FIELDS) await db.schema.alterTable('versions').addColumn(field, 'text').execute();
      await sql`UPDATE versions SET
        author = (SELECT p.author FROM packages p WHERE p.id = versions.package_id),
        license = (SELECT p.license FROM packages p WHERE p.id = versions.package_id),
        homepage = (SELECT p.homepage FROM packages p WHERE p.id = versions.package_id),
        repository = (SELECT p.repository FROM packages p WHERE p.id = versions.package_id)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      for (const field of FIELDS) await db.schema.alterTable('versions').dropColumn(field).execute();
    },
  };
}
