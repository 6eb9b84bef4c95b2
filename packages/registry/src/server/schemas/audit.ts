/** The audit log's entries and the admins' reserved names and package locks. */
import { AUDIT_ACTIONS } from '../../registry/audit.ts';

const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const auditEntrySchema = {
  $id: 'AuditEntry',
  type: 'object',
  required: ['id', 'at', 'action', 'actor', 'token_id', 'package', 'version', 'details', 'ip', 'user_agent'],
  properties: {
    id: { type: 'integer', description: 'Increases with every entry: newest first is highest first' },
    at: timestamp,
    action: { type: 'string', enum: [...AUDIT_ACTIONS] },
    actor: { ...nullableString, description: 'Username of who acted; null for a failed login or the admin command line' },
    token_id: { type: ['integer', 'null'], description: 'The API token used; null for a session' },
    package: nullableString,
    version: nullableString,
    details: { type: 'object', additionalProperties: true, description: 'What else the action needs said (a reason, a token, a username)' },
    ip: { ...nullableString, description: 'Shown only to admins and to the account the entry is its own' },
    user_agent: { ...nullableString, description: 'Shown only to admins and to the account the entry is its own' },
  },
} as const;

export const reservedNameSchema = {
  $id: 'ReservedName',
  type: 'object',
  required: ['name', 'reason', 'reserved_by', 'created_at'],
  properties: {
    name: { type: 'string' },
    reason: nullableString,
    reserved_by: { type: 'string', description: 'Username of the admin' },
    created_at: timestamp,
  },
} as const;

export const packageLockSchema = {
  $id: 'PackageLock',
  type: ['object', 'null'],
  required: ['reason', 'locked_at', 'locked_by'],
  description: 'Set while an admin has locked the package against new versions; null otherwise',
  properties: {
    reason: { type: 'string' },
    locked_at: timestamp,
    locked_by: { type: 'string', description: 'Username of the admin' },
  },
} as const;
