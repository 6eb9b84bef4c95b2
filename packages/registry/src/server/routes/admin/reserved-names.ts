import { listReservations, releaseName, reserveName } from '../../../registry/reserved-names.ts';
import { defineRoute } from '../../route.ts';
import { json, noBody, pageOf, problems, ref } from '../../schemas/index.ts';
import { nameParams } from '../packages/params.ts';
import { paged, pagingProperties, readPaging, window } from '../search/paging.ts';
import { requireAdmin } from './require-admin.ts';

const security = [{ bearer: [] }];

export const reserveNameRoute = defineRoute({
  method: 'PUT',
  url: '/admin/reserved-names/:name',
  limit: 'write',
  schema: {
    summary: 'Reserve a name no new package may take (admins; a session)',
    tags: ['admin'],
    security,
    params: nameParams,
    body: {
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why (at most 500 characters); shown to whoever tries to publish it' } },
    },
    response: {
      200: json('It was reserved already; the reason is now the one sent', ref('ReservedName')),
      201: json('Reserved', ref('ReservedName')),
      ...problems(400, 401, 403, 409, 413, 414, 415, 429, 500, 503),
    },
  },
  async handler(deps, request, reply) {
    const actor = await requireAdmin(deps, request);
    const { name } = request.params as { name: string };
    const body = (request.body ?? {}) as { reason?: string };
    const { reservation, created } = await reserveName(deps, actor, name, body.reason);
    return reply.status(created ? 201 : 200).send(reservation);
  },
});

export const releaseNameRoute = defineRoute({
  method: 'DELETE',
  url: '/admin/reserved-names/:name',
  limit: 'write',
  schema: {
    summary: 'Release a reserved name (admins; a session)',
    tags: ['admin'],
    security,
    params: nameParams,
    response: { 204: noBody('Released: the name may be published'), ...problems(400, 401, 403, 404, 413, 414, 415, 429, 500, 503) },
  },
  async handler(deps, request, reply) {
    const actor = await requireAdmin(deps, request);
    await releaseName(deps, actor, (request.params as { name: string }).name);
    return reply.status(204).send();
  },
});

export const listReservedNamesRoute = defineRoute({
  method: 'GET',
  url: '/admin/reserved-names',
  limit: 'read',
  schema: {
    summary: 'The reserved names, alphabetically (admins; a session)',
    tags: ['admin'],
    security,
    querystring: { type: 'object', properties: pagingProperties() },
    response: { 200: json('A page of reserved names', pageOf(ref('ReservedName'))), ...problems(400, 401, 403, 429, 500, 503) },
  },
  async handler(deps, request) {
    await requireAdmin(deps, request);
    const query = readPaging(request.query as Record<string, unknown>);
    const { total, items } = await listReservations(deps.db.kysely, window(query));
    return paged(query, total, items);
  },
});
