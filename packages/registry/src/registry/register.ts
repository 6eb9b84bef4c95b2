/** Creating an account, for the API and the web pages alike: the checks, the hash, the row. */
import { conflict, validationError, type FieldError } from '../../../core/src/errors.ts';
import { checkPasswordPolicy, type PasswordHasher } from '../auth/index.ts';
import { insertUser, type Db } from '../db/users.ts';
import type { UserRow } from '../db/schema.ts';

const USERNAME = /^[a-z0-9][a-z0-9-]{0,37}[a-z0-9]$/;
// Deliberately plain: one @, a dot in the domain, no spaces; the mailbox decides the rest.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export interface Registration {
  username: string;
  email: string;
  password: string;
}

function parseRegistration(body: Registration): Registration {
  const errors: FieldError[] = [];
  const email = body.email.trim().toLowerCase();
  if (!USERNAME.test(body.username) || body.username.includes('--')) {
    errors.push({
      field: 'username',
      message: 'username must be 2–39 lowercase letters, digits or single hyphens, not starting or ending with a hyphen',
    });
  }
  if (email.length > 254 || !EMAIL.test(email)) {
    errors.push({ field: 'email', message: 'email must be an address such as jane@example.com' });
  }
  const weak = checkPasswordPolicy(body.password, { username: body.username });
  if (weak) errors.push({ field: 'password', message: weak });
  if (errors.length > 0) throw validationError(errors, errors.map((e) => e.message).join('; '));
  return { ...body, email };
}

export interface RegisterDeps {
  db: Db;
  passwords: PasswordHasher;
}

/** The new account; throws `validation_failed` (400), `username_taken` or `account_exists` (409). */
export async function registerUser({ db, passwords }: RegisterDeps, input: Registration, now: Date): Promise<UserRow> {
  const parsed = parseRegistration(input);
  const user = await insertUser(db, {
    username: parsed.username,
    email: parsed.email,
    passwordHash: await passwords.hash(parsed.password),
    now: now.toISOString(),
  });
  if (user === 'username_taken') throw conflict('username_taken', `The username ${parsed.username} is taken`);
  // Neither the address nor the account holding it is named: the answer says only what the caller needs.
  if (user === 'email_taken') throw conflict('account_exists', 'Cannot create this account: if you have one already, log in instead');
  return user;
}
