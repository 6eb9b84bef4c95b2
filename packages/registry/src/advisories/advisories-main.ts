/**
 * `npm run advisories`: imports a folder of OSV advisory files (same environment as `npm start`).
 * Every file is checked before anything is stored; one bad file stops the whole import.
 *
 *   npm run advisories -- import DIR
 */
import { ConfigError, loadConfig } from '../config/index.ts';
import { openDatabase } from '../db/database.ts';
import { RegistryError } from '../../../core/src/errors.ts';
import { importAdvisories, ImportRefused } from './import.ts';

const USAGE = 'usage: npm run advisories -- import DIR';

async function main(dir: string): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  try {
    const { added, replaced, unchanged } = await importAdvisories(db, dir, () => new Date());
    const total = added.length + replaced.length + unchanged.length;
    console.log(
      `Imported ${total} advisor${total === 1 ? 'y' : 'ies'} from ${dir}: ${added.length} new, ${replaced.length} replaced, ${unchanged.length} unchanged`,
    );
  } finally {
    await db.close();
  }
}

const [command, dir, ...rest] = process.argv.slice(2);
if (command !== 'import' || !dir || rest.length > 0) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  try {
    await main(dir);
  } catch (error) {
    if (error instanceof ImportRefused) {
      console.error(`error: ${error.message}`);
      for (const { file, reasons } of error.bad) console.error(`  ${file}: ${reasons.join('; ')}`);
    } else {
      const known = error instanceof ConfigError || error instanceof RegistryError;
      console.error(known ? `error: ${error.message}` : error);
    }
    process.exitCode = 1;
  }
}
