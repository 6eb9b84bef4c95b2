/** Webhook subscriptions, their deliveries and attempts, as the API shows them. */
import { WEBHOOK_EVENTS } from '../../webhooks/events.ts';

const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableString = { type: ['string', 'null'] } as const;

export const webhookEventNames = { type: 'string', enum: [...WEBHOOK_EVENTS] } as const;

export const webhookSchema = {
  $id: 'Webhook',
  type: 'object',
  required: [
    'id',
    'url',
    'events',
    'package',
    'active',
    'disabled_at',
    'disabled_reason',
    'failing_since',
    'previous_secret_until',
    'created_at',
    'updated_at',
  ],
  properties: {
    id: { type: 'integer' },
    url: { type: 'string' },
    events: { type: 'array', items: webhookEventNames },
    package: { ...nullableString, description: 'The package it follows; null for every package the account owns' },
    active: { type: 'boolean', description: 'False when switched off by its owner or after three days of failed deliveries' },
    disabled_at: nullableTimestamp,
    disabled_reason: { ...nullableString, description: 'Why it was switched off, and how to switch it back on' },
    failing_since: { ...nullableTimestamp, description: 'Start of the current run of failed deliveries; null after a success' },
    previous_secret_until: { ...nullableTimestamp, description: 'Until when the secret before the last rotation also signs' },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const webhookWithSecretSchema = {
  type: 'object',
  required: [...webhookSchema.required, 'secret'],
  properties: {
    ...webhookSchema.properties,
    secret: { type: 'string', description: 'whsec_…: shown this once; receivers verify signatures with it' },
  },
} as const;

export const webhookAttemptSchema = {
  $id: 'WebhookAttempt',
  type: 'object',
  required: ['attempt', 'at', 'status_code', 'latency_ms', 'response_excerpt', 'error'],
  properties: {
    attempt: { type: 'integer', minimum: 1 },
    at: timestamp,
    status_code: { type: ['integer', 'null'], description: "The receiver's HTTP status; null when no response came" },
    latency_ms: { type: 'integer', minimum: 0 },
    response_excerpt: { type: 'string', description: 'The first 1 KB of the response body' },
    error: {
      type: ['object', 'null'],
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: nullableString },
    },
  },
} as const;

export const webhookDeliverySchema = {
  $id: 'WebhookDelivery',
  type: 'object',
  required: [
    'id',
    'event',
    'package',
    'created_at',
    'state',
    'attempts',
    'last_attempt_at',
    'last_status_code',
    'last_error',
    'next_attempt_at',
  ],
  properties: {
    id: { type: 'string', description: 'The webhook-id header: the same on every attempt and redelivery' },
    event: { type: 'string' },
    package: nullableString,
    created_at: timestamp,
    state: { type: 'string', enum: ['pending', 'delivered', 'failed', 'skipped'] },
    attempts: { type: 'integer', minimum: 0 },
    last_attempt_at: nullableTimestamp,
    last_status_code: { type: ['integer', 'null'] },
    last_error: nullableString,
    next_attempt_at: nullableTimestamp,
  },
} as const;
