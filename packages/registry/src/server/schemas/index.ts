/**
 * JSON schemas shared by the routes: request shapes, response shapes and problem+json. Fastify uses
 * the same schemas to validate, to serialise (undeclared fields are dropped) and to write the
 * OpenAPI document, so what is documented is what is sent.
 */
import { problemSchema } from './problem.ts';
import { apiTokenSchema, userSchema } from './auth.ts';
import { deprecationSchema, packageSchema, versionSchema, versionSummarySchema } from './packages.ts';
import { auditEntrySchema, packageLockSchema, reservedNameSchema } from './audit.ts';
import { webhookAttemptSchema, webhookDeliverySchema, webhookSchema } from './webhooks.ts';
import { advisorySchema } from './advisories.ts';

export { problems } from './problem.ts';

/** Registered once on the app (addSchema) and referenced as `{ $ref: '<$id>#' }`. */
export const sharedSchemas = [
  problemSchema,
  userSchema,
  apiTokenSchema,
  deprecationSchema,
  versionSummarySchema,
  versionSchema,
  packageSchema,
  auditEntrySchema,
  reservedNameSchema,
  packageLockSchema,
  webhookSchema,
  webhookDeliverySchema,
  webhookAttemptSchema,
  advisorySchema,
] as const;

/** A JSON response with a description. */
export const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });

/** A response without a body (204, 304, 302). */
export const noBody = (description: string, headers?: Record<string, { type: string; description: string }>) => ({
  description,
  type: 'null',
  ...(headers ? { headers } : {}),
});

export const ref = (id: string) => ({ $ref: `${id}#` });

/** The `{total, page, per_page, results}` envelope of every list. */
export const pageOf = (item: object, extra: Record<string, object> = {}, required: string[] = []) => ({
  type: 'object',
  required: [...required, 'total', 'page', 'per_page', 'results'],
  properties: {
    ...extra,
    total: { type: 'integer', minimum: 0 },
    page: { type: 'integer', minimum: 1 },
    per_page: { type: 'integer', minimum: 1 },
    results: { type: 'array', items: item },
  },
});
