import { registerUser, type Registration } from '../../../registry/register.ts';
import { defineRoute } from '../../route.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { userView } from '../../views/user.ts';

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
    const user = await registerUser({ db: deps.db.kysely, passwords: deps.passwords }, request.body as Registration, deps.now());
    return reply.status(201).send(userView(user));
  },
});
