/**
 * The JSON body of `PUT …/deprecation`: `{reason, message?, replacement?}`, checked field by field so
 * one answer lists every mistake. Whether the replacement exists is the domain's question (deprecate.ts).
 */
import type { FieldError } from '../../../core/src/errors.ts';
import { parsePackageName } from '../../../core/src/names.ts';
import { DEPRECATION_REASONS, lifecycleTextProblem, type DeprecationReason } from '../../../core/src/lifecycle-rules.ts';

export interface DeprecationRequest {
  reason: DeprecationReason;
  message: string | null;
  replacement: string | null;
}

export type DeprecationRequestResult = { ok: true; value: DeprecationRequest } | { ok: false; errors: FieldError[] };

const KNOWN_FIELDS = new Set(['reason', 'message', 'replacement']);

function parseReason(value: unknown, errors: FieldError[]): DeprecationReason {
  if (typeof value === 'string' && (DEPRECATION_REASONS as readonly string[]).includes(value)) return value as DeprecationReason;
  errors.push({ field: 'reason', message: `reason must be one of ${DEPRECATION_REASONS.map((r) => `"${r}"`).join(', ')}` });
  return 'other';
}

function parseMessage(value: unknown, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push({ field: 'message', message: 'message must be a string, or left out' });
    return null;
  }
  const text = value.trim();
  const problem = lifecycleTextProblem('message', text);
  if (problem) errors.push({ field: 'message', message: problem });
  return text === '' ? null : text;
}

function parseReplacement(value: unknown, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  const parsed = parsePackageName(value);
  if (!parsed.ok) {
    errors.push({ field: 'replacement', message: `replacement must be the name of a package: ${parsed.message}` });
    return null;
  }
  return parsed.value;
}

export function parseDeprecationRequest(body: unknown): DeprecationRequestResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      errors: [
        { field: 'body', message: 'the request body must be a JSON object such as {"reason": "renamed", "replacement": "new-name"}' },
      ],
    };
  }
  const record = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const reason = parseReason(record.reason, errors);
  const message = parseMessage(record.message, errors);
  const replacement = parseReplacement(record.replacement, errors);
  for (const key of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(key))
      errors.push({ field: key, message: `unknown field ${key}; a deprecation has reason, message and replacement` });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { reason, message, replacement } };
}
