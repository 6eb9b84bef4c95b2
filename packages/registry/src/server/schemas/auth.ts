/** Accounts, sessions and API tokens. */
import { ALL_SCOPES } from '../../auth/index.ts';
const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const userSchema = {
  $id: 'User',
  type: 'object',
  required: ['id', 'username', 'email', 'created_at'],
  properties: { id: { type: 'integer' }, username: { type: 'string' }, email: { type: 'string' }, created_at: timestamp },
} as const;

const tokenProperties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  scopes: { type: 'array', items: { type: 'string', enum: [...ALL_SCOPES] } },
  packages: { type: ['array', 'null'], items: { type: 'string' }, description: 'The packages it may act on; null for all of yours' },
  created_at: timestamp,
  last_used_at: nullableTimestamp,
  expires_at: nullableTimestamp,
} as const;

export const apiTokenSchema = {
  $id: 'ApiToken',
  type: 'object',
  required: ['id', 'name', 'scopes', 'packages', 'created_at', 'last_used_at', 'expires_at'],
  properties: tokenProperties,
} as const;

/** A new token: its fields and, this once, its secret. */
export const newApiTokenSchema = {
  type: 'object',
  required: [...apiTokenSchema.required, 'token'],
  properties: { ...tokenProperties, token: { type: 'string', description: 'The secret (syn_…), shown only now' } },
} as const;

export const sessionSchema = {
  type: 'object',
  required: ['token', 'token_type', 'expires_at'],
  properties: {
    token: { type: 'string', description: 'A session JWT' },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_at: timestamp,
  },
} as const;

export const verificationSchema = {
  type: 'object',
  required: ['valid', 'username', 'kind', 'expires_at'],
  properties: {
    valid: { type: 'boolean', enum: [true] },
    username: { type: 'string' },
    kind: { type: 'string', enum: ['session', 'api_token'] },
    expires_at: nullableTimestamp,
  },
} as const;
