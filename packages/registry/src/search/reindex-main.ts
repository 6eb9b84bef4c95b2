/** `npm run reindex`: rebuilds the search index of the database the environment configures. */
import { ConfigError, loadConfig } from '../config/index.ts';
import { openDatabase } from '../db/database.ts';
import { reindexAll } from '../db/search-reindex.ts';

try {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  try {
    const started = performance.now();
    const count = await reindexAll(db.kysely, db.dialect, new Date());
    console.log(`reindexed ${count} packages in ${Math.round(performance.now() - started)} ms`);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
}
