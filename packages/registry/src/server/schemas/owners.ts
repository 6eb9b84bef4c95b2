/** Package owners and owner invitations. */
const timestamp = { type: 'string', format: 'date-time' } as const;

export const ownersSchema = {
  type: 'object',
  required: ['name', 'owners'],
  properties: {
    name: { type: 'string' },
    owners: {
      type: 'array',
      description: 'The longest-standing owner first',
      items: {
        type: 'object',
        required: ['username', 'since'],
        properties: { username: { type: 'string' }, since: { ...timestamp, description: 'When they became an owner' } },
      },
    },
  },
} as const;

export const invitationSchema = {
  type: 'object',
  required: ['package', 'invitee', 'invited_by', 'created_at', 'expires_at'],
  properties: {
    package: { type: 'string' },
    invitee: { type: 'string', description: 'The user invited to become an owner' },
    invited_by: { type: 'string', description: 'The owner who sent it' },
    created_at: timestamp,
    expires_at: { ...timestamp, description: 'After this the invitation can no longer be accepted' },
  },
} as const;

export const invitationListSchema = {
  type: 'object',
  required: ['invitations'],
  properties: { invitations: { type: 'array', items: invitationSchema } },
} as const;

export const userParams = {
  type: 'object',
  properties: { name: { type: 'string' }, username: { type: 'string' } },
  required: ['name', 'username'],
} as const;
