/**
 * The JSON bodies of `POST /webhooks` (`{url, events, package?}`) and `PATCH /webhooks/{id}` (any of
 * `url`, `events`, `active`), checked field by field so one answer lists every mistake. Whether the
 * URL is allowed (scheme, address) and the package is the actor's are the domain's questions.
 */
import type { FieldError } from '../../../core/src/errors.ts';
import { parsePackageName } from '../../../core/src/names.ts';
import { WEBHOOK_EVENTS } from './events.ts';

export const WEBHOOK_URL_MAX = 2048;

export interface NewWebhookRequest {
  url: string;
  events: string[];
  /** Null: every package the account owns. */
  package: string | null;
}

export interface WebhookChange {
  url?: string;
  events?: string[];
  active?: boolean;
}

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function parseUrl(value: unknown, errors: FieldError[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field: 'url', message: 'url must be the https URL to send events to' });
    return '';
  }
  if (value.length > WEBHOOK_URL_MAX) errors.push({ field: 'url', message: `url must be at most ${WEBHOOK_URL_MAX} characters` });
  return value.trim();
}

function parseEvents(value: unknown, errors: FieldError[]): string[] {
  const known = WEBHOOK_EVENTS.join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    errors.push({ field: 'events', message: `events must be a non-empty list of: ${known}` });
    return [];
  }
  const unknown = value.filter((e) => typeof e !== 'string' || !WEBHOOK_EVENTS.includes(e));
  if (unknown.length > 0) {
    const shown = unknown
      .slice(0, 3)
      .map((e) => JSON.stringify(e).slice(0, 60))
      .join(', ');
    errors.push({ field: 'events', message: `unknown event ${shown}; use ${known}` });
  }
  return [...new Set(value as string[])].sort();
}

function parsePackage(value: unknown, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  const parsed = parsePackageName(value);
  if (!parsed.ok) {
    errors.push({
      field: 'package',
      message: `package must be the name of a package you own, or left out for all of them: ${parsed.message}`,
    });
    return null;
  }
  return parsed.value;
}

function record(body: unknown, example: string, errors: FieldError[]): Record<string, unknown> | null {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  errors.push({ field: 'body', message: `the request body must be a JSON object such as ${example}` });
  return null;
}

function unknownFields(body: Record<string, unknown>, known: readonly string[], errors: FieldError[]): void {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) errors.push({ field: key, message: `unknown field ${key}; use ${known.join(', ')}` });
  }
}

export function parseNewWebhook(body: unknown): Result<NewWebhookRequest> {
  const errors: FieldError[] = [];
  const r = record(body, '{"url": "https://ci.example.com/hook", "events": ["package.published"]}', errors);
  if (!r) return { ok: false, errors };
  const value = { url: parseUrl(r.url, errors), events: parseEvents(r.events, errors), package: parsePackage(r.package, errors) };
  unknownFields(r, ['url', 'events', 'package'], errors);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

export function parseWebhookChange(body: unknown): Result<WebhookChange> {
  const errors: FieldError[] = [];
  const r = record(body, '{"active": true}', errors);
  if (!r) return { ok: false, errors };
  const value: WebhookChange = {};
  if (r.url !== undefined) value.url = parseUrl(r.url, errors);
  if (r.events !== undefined) value.events = parseEvents(r.events, errors);
  if (r.active !== undefined) {
    if (typeof r.active === 'boolean') value.active = r.active;
    else errors.push({ field: 'active', message: 'active must be true or false' });
  }
  unknownFields(r, ['url', 'events', 'active'], errors);
  if (errors.length === 0 && Object.keys(value).length === 0) {
    errors.push({ field: 'body', message: 'nothing to change: send url, events or active' });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
