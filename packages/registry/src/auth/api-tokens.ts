/**
 * API tokens for the CLI and CI. The secret is shown once; the registry keeps only its SHA-256,
 * which is enough because the secret is 238 random bits, far past any guessing (unlike a
 * password, it needs no slow hash). The `syn_` prefix lets secret scanners spot leaked tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalName, parsePackageName } from '../../../core/src/names.ts';
import type { FieldError } from '../../../core/src/errors.ts';

export const API_TOKEN_PREFIX = 'syn_';
const SECRET_LENGTH = 40;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const API_TOKEN_PATTERN = /^syn_[0-9A-Za-z]{40}$/;

/** `yank` also covers deprecation; `owners` invitations and removals; `dist-tags` moving tags. */
export const ALL_SCOPES = ['publish', 'delete', 'yank', 'owners', 'dist-tags', 'webhooks'] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export const TOKEN_NAME_MAX_LENGTH = 64;
export const TOKEN_MAX_EXPIRY_DAYS = 365;
export const TOKEN_MAX_PACKAGES = 100;

/** 40 base62 characters. Bytes of 248 and up are dropped so every character is equally likely. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue; // 248 = 4 * 62: keeping them would favour the first 8 characters
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** SHA-256 hex of a token secret: what the database stores and looks tokens up by. */
export function hashApiToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A fresh token: `secret` goes to the user once, `hash` to the database. */
export function generateApiToken(): { secret: string; hash: string } {
  const secret = API_TOKEN_PREFIX + randomBase62(SECRET_LENGTH);
  return { secret, hash: hashApiToken(secret) };
}

/** True when `s` has the shape of an API token (prefix and 40 base62 characters), so a session JWT is not looked up as one. */
export function looksLikeApiToken(s: unknown): s is string {
  return typeof s === 'string' && API_TOKEN_PATTERN.test(s);
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (ALL_SCOPES as readonly string[]).includes(value);
}

export interface TokenRequest {
  name: string;
  scopes: Scope[];
  /** Packages the token is limited to, as given; null means every package the user owns. */
  packages: string[] | null;
  expiresInDays: number | null;
}

export type TokenRequestResult = { ok: true; value: TokenRequest } | { ok: false; errors: FieldError[] };

const KNOWN_FIELDS = new Set(['name', 'scopes', 'packages', 'expires_in_days']);
// Control, format, surrogate, private-use and unassigned code points cannot be shown in a token list.
const UNPRINTABLE = /\p{C}/u;

function parseName(value: unknown, errors: FieldError[]): string {
  if (typeof value !== 'string') {
    errors.push({ field: 'name', message: 'a token name is required' });
    return '';
  }
  const name = value.trim();
  const length = [...name].length;
  if (length === 0) errors.push({ field: 'name', message: 'the token name must not be blank' });
  else if (length > TOKEN_NAME_MAX_LENGTH) {
    errors.push({ field: 'name', message: `the token name has at most ${TOKEN_NAME_MAX_LENGTH} characters` });
  } else if (UNPRINTABLE.test(name)) {
    errors.push({ field: 'name', message: 'the token name must contain only printable characters' });
  }
  return name;
}

function parseScopes(value: unknown, errors: FieldError[]): Scope[] {
  const expected = `one or more of ${ALL_SCOPES.map((s) => `"${s}"`).join(', ')}`;
  if (!Array.isArray(value) || value.length === 0) {
    errors.push({ field: 'scopes', message: `scopes must be a list of ${expected}` });
    return [];
  }
  const unknown = value.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    const shown = unknown.map((s) => JSON.stringify(s) ?? String(s)).join(', ');
    errors.push({ field: 'scopes', message: `unknown scope ${shown}; use ${expected}` });
    return [];
  }
  // Keep the canonical order so equal requests give equal tokens.
  return ALL_SCOPES.filter((s) => value.includes(s));
}

function parsePackages(value: unknown, errors: FieldError[]): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) {
    errors.push({ field: 'packages', message: 'packages must be a list of package names, or left out to allow every package' });
    return null;
  }
  if (value.length === 0) {
    errors.push({ field: 'packages', message: 'packages must name at least one package, or be left out to allow every package' });
    return null;
  }
  if (value.length > TOKEN_MAX_PACKAGES) {
    errors.push({ field: 'packages', message: `a token can be limited to at most ${TOKEN_MAX_PACKAGES} packages` });
    return null;
  }
  const packages: string[] = [];
  const seen = new Set<string>();
  value.forEach((item: unknown, index) => {
    const parsed = parsePackageName(item);
    if (!parsed.ok) {
      errors.push({ field: `packages[${index}]`, message: parsed.message });
      return;
    }
    const canonical = canonicalName(parsed.value);
    if (seen.has(canonical)) return;
    seen.add(canonical);
    packages.push(parsed.value);
  });
  return packages;
}

function parseExpiry(value: unknown, errors: FieldError[]): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > TOKEN_MAX_EXPIRY_DAYS) {
    errors.push({
      field: 'expires_in_days',
      message: `expires_in_days must be a whole number from 1 to ${TOKEN_MAX_EXPIRY_DAYS}, or left out for a token that does not expire`,
    });
    return null;
  }
  return value;
}

/**
 * Validates the JSON body of a "create token" request, reporting every bad field at once.
 * Unknown fields are errors: a misspelt `expires_in_days` must not quietly make a token that never expires.
 */
export function parseTokenRequest(body: unknown): TokenRequestResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: 'body', message: 'the request body must be a JSON object' }] };
  }
  const record = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const name = parseName(record.name, errors);
  const scopes = parseScopes(record.scopes, errors);
  const packages = parsePackages(record.packages, errors);
  const expiresInDays = parseExpiry(record.expires_in_days, errors);
  for (const key of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(key)) {
      errors.push({ field: key, message: `unknown field; a token request has ${[...KNOWN_FIELDS].join(', ')}` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { name, scopes, packages, expiresInDays } };
}

export interface TokenGrant {
  scopes: readonly string[];
  packages: readonly string[] | null;
}

/**
 * Whether a token may do `scope` on `packageName`. A package limit matches by canonical name,
 * so a token limited to `foo_bar` works for `foo-bar`, which is the same package.
 */
export function tokenAllows({ scopes, packages }: TokenGrant, scope: Scope, packageName: string): boolean {
  if (!scopes.includes(scope)) return false;
  if (packages === null) return true;
  const wanted = canonicalName(packageName);
  return packages.some((p) => canonicalName(p) === wanted);
}
