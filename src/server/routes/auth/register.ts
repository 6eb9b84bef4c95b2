import { conflict, validationError, type FieldError } from '../../../errors.ts';
import { checkPasswordPolicy, hashPassword } from '../../../auth/index.ts';
import { insertUser } from '../../../db/users.ts';
import { defineRoute } from '../../route.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { userView } from '../../views/user.ts';

const USERNAME = /^[a-z0-9][a-z0-9-]{0,37}[a-z0-9]$/;
// Deliberately plain: one @, a dot in the domain, no spaces; the mailbox decides the rest.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

interface Body {
  username: string;
  email: string;
  password: string;
}

function parseRegistration(body: Body): Body {
  const errors: FieldError[] = [];
  const email = body.email.trim().toLowerCase();
  if (!USERNAME.test(body.username) || body.username.includes('--')) {
    errors.push({ field: 'username', message: 'username must be 2–39 lowercase letters, digits or single hyphens, not starting or ending with a hyphen' });
  }
  if (email.length > 254 || !EMAIL.test(email)) {
    errors.push({ field: 'email', message: 'email must be an address such as jane@example.com' });
  }
  const weak = checkPasswordPolicy(body.password, { username: body.username });
  if (weak) errors.push({ field: 'password', message: weak });
  if (errors.length > 0) throw validationError(errors, errors.map((e) => e.message).join('; '));
  return { ...body, email };
}

export const register = defineRoute({
  method: 'POST',
  url: '/auth/register',
  limit: 'write',
  perUser: 'body-username',
  schema: {
    summary: 'Create an account',
    tags: ['auth'],
    body: {
      type: 'object',
      required: ['username', 'email', 'password'],
      properties: { username: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
    },
    response: { 201: json('The new account', ref('User')), ...problems(400, 409, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const input = parseRegistration(request.body as Body);
    const user = await insertUser(deps.db.kysely, {
      username: input.username,
      email: input.email,
      passwordHash: await hashPassword(input.password),
      now: deps.now().toISOString(),
    });
    if (user === 'username_taken') throw conflict('username_taken', `The username ${input.username} is taken`);
    // Neither the address nor the account holding it is named: the answer says only what the caller needs.
    if (user === 'email_taken') throw conflict('account_exists', 'Cannot create this account: if you have one already, log in instead');
    return reply.status(201).send(userView(user));
  },
});
