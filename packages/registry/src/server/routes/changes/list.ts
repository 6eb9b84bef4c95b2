import { CHANGE_KINDS } from '../../../changes/record.ts';
import { listChanges, parseCursor, START } from '../../../changes/list.ts';
import { badRequest } from '../../../../../core/src/errors.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

const changeSchema = {
  type: 'object',
  required: ['cursor', 'kind', 'package', 'version', 'at', 'details'],
  properties: {
    cursor: { type: 'string', description: "This change's place in the feed: asking `since` it answers what came after" },
    kind: { type: 'string', enum: [...CHANGE_KINDS] },
    package: { type: 'string' },
    version: { type: ['string', 'null'], description: 'Null for a change to the whole package (a package deprecation)' },
    at: { type: 'string', format: 'date-time' },
    details: {
      type: 'object',
      additionalProperties: true,
      description: 'tag and previous for tag changes, reason for yanks, message and replacement for deprecations',
    },
  },
} as const;

export const listChangesRoute = defineRoute({
  method: 'GET',
  url: '/changes',
  limit: 'read',
  schema: {
    summary: 'The changes feed: every publish, delete, yank, deprecation and tag change, in one order, for followers and mirrors',
    tags: ['changes'],
    querystring: {
      type: 'object',
      properties: {
        since: {
          description: "A cursor from an earlier answer (`next` or a change's `cursor`); absent: from the first change",
          examples: ['0-0'],
        },
        limit: { description: `Changes per answer, from 1 to ${MAX_LIMIT}. Default ${DEFAULT_LIMIT}.`, examples: ['100'] },
      },
    },
    response: {
      200: json('Changes after the cursor, oldest first', {
        type: 'object',
        required: ['changes', 'next', 'more'],
        properties: {
          changes: { type: 'array', items: changeSchema },
          next: { type: 'string', description: 'The cursor to ask from next (store it once the page is applied)' },
          more: { type: 'boolean', description: 'The page was full: ask again at once' },
        },
      }),
      ...problems(400, 429, 500, 503),
    },
  },
  async handler(deps, request) {
    const query = request.query as Record<string, unknown>;
    return listChanges(deps.db.kysely, { dialect: deps.db.dialect, since: readSince(query.since), limit: readLimit(query.limit) });
  },
});

function readSince(raw: unknown) {
  if (raw === undefined || raw === '') return START;
  const cursor = typeof raw === 'string' ? parseCursor(raw) : null;
  if (!cursor) {
    throw badRequest(
      'invalid_query_parameter',
      'since must be a cursor this registry gave out (the `next` of an earlier answer, like "0-42")',
      {
        data: { parameter: 'since' },
      },
    );
  }
  return cursor;
}

function readLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const value = typeof raw === 'string' && /^[0-9]{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_LIMIT)) {
    throw badRequest('invalid_query_parameter', `limit must be a whole number from 1 to ${MAX_LIMIT}`, {
      data: { parameter: 'limit', minimum: 1, maximum: MAX_LIMIT },
    });
  }
  return value;
}
