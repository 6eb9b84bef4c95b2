/**
 * `npm run admin`: grants or revokes the admin flag of an account, or lists the admins. The only way
 * to make an admin (no HTTP route can); same environment as `npm start`.
 *
 *   npm run admin -- grant NAME | revoke NAME | list
 */
import { ConfigError, loadConfig } from '../config/index.ts';
import { openDatabase } from '../db/database.ts';
import { RegistryError } from '../../../core/src/errors.ts';
import { listAdmins, setAdmin } from './admins.ts';

const USAGE = 'usage: npm run admin -- grant NAME | revoke NAME | list';

type Command = { kind: 'grant' | 'revoke'; username: string } | { kind: 'list' };

function parseCommand(args: string[]): Command | null {
  const [kind, username, ...rest] = args;
  if (rest.length > 0) return null;
  if (kind === 'list') return username === undefined ? { kind } : null;
  if ((kind === 'grant' || kind === 'revoke') && username) return { kind, username };
  return null;
}

async function main(command: Command): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  try {
    if (command.kind === 'list') {
      const admins = await listAdmins(db.kysely);
      console.log(admins.length === 0 ? 'No admins (grant one with: npm run admin -- grant NAME)' : admins.join('\n'));
      return;
    }
    const admin = command.kind === 'grant';
    const result = await setAdmin(db.kysely, { username: command.username, admin, now: new Date().toISOString() });
    const state = admin ? 'an admin' : 'not an admin';
    console.log(result.changed ? `${result.username} is now ${state}` : `${result.username} already was ${state}; nothing changed`);
  } finally {
    await db.close();
  }
}

const command = parseCommand(process.argv.slice(2));
if (!command) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  try {
    await main(command);
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof RegistryError;
    console.error(known ? `error: ${error.message}` : error);
    process.exitCode = 1;
  }
}
