import { validationError, type FieldError } from '../errors.ts';
import { canonicalName, parsePackageName, parseRange, parseVersion, type PackageName, type Range, type Version } from '../names.ts';

/** The typed content of a package's `synapse.json`. */
export interface Manifest {
  name: PackageName;
  version: Version;
  description: string | null;
  author: string | null;
  license: string | null;
  homepage: string | null;
  repository: string | null;
  keywords: string[];
  /** Keys sorted, so two publishes of the same manifest store the same bytes. */
  dependencies: Record<string, Range>;
}

const MAX_DESCRIPTION = 1_000;
const MAX_KEYWORDS = 20;
const MAX_KEYWORD = 50;
const MAX_URL = 512;
// Not part of any published rule, only a guard against someone pasting a novel into a header field.
const MAX_SHORT_TEXT = 256;

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const charCount = (text: string): number => [...text].length;

/**
 * Turns the raw JSON of `synapse.json` into typed values. Every invalid field is collected and
 * thrown at once as a `validation_failed` error, so a publisher fixes them all in one round.
 */
export function parseManifest(json: unknown): Manifest {
  if (!isObject(json)) {
    const errors = [{ field: 'synapse.json', message: 'must be a JSON object such as {"name": "...", "version": "1.0.0"}' }];
    throw validationError(errors, summarise(errors));
  }
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): null => {
    errors.push({ field, message });
    return null;
  };

  const name = parsePackageName(json.name);
  if (!name.ok) fail('name', name.message);
  const version = parseVersion(json.version);
  if (!version.ok) fail('version', version.message);

  const manifest = {
    description: optionalText(json.description, 'description', MAX_DESCRIPTION, fail),
    author: parseAuthor(json.author, fail),
    license: optionalText(json.license, 'license', MAX_SHORT_TEXT, fail),
    homepage: optionalUrl(json.homepage, 'homepage', fail),
    repository: optionalUrl(json.repository, 'repository', fail),
    keywords: parseKeywords(json.keywords, fail),
    dependencies: parseDependencies(json.dependencies, name.ok ? name.value : null, fail),
  };

  if (errors.length > 0 || !name.ok || !version.ok) throw validationError(errors, summarise(errors));
  return { name: name.value, version: version.value, ...manifest };
}

type Fail = (field: string, message: string) => null;

function summarise(errors: FieldError[]): string {
  const list = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return `synapse.json has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${list}`;
}

/** Absent, null and blank all mean "not given". */
function optionalText(value: unknown, field: string, max: number, fail: Fail): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return fail(field, 'must be a string');
  const text = value.trim();
  if (text === '') return null;
  if (charCount(text) > max) return fail(field, `must be at most ${max} characters (got ${charCount(text)})`);
  return text;
}

function optionalUrl(value: unknown, field: string, fail: Fail): string | null {
  const text = optionalText(value, field, MAX_URL, fail);
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(field, `"${text}" is not a URL; use an absolute http(s) URL such as https://example.com/project`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(field, `must be an http or https URL, not ${url.protocol}`);
  }
  return text;
}

/** `author` is a string or `{name, email?}`, stored as "name <email>". */
function parseAuthor(value: unknown, fail: Fail): string | null {
  if (!isObject(value)) {
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return fail('author', 'must be a string or an object {"name": "...", "email": "..."}');
    }
    return optionalText(value, 'author', MAX_SHORT_TEXT, fail);
  }
  const name = typeof value.name === 'string' ? value.name.trim() : '';
  if (name === '') return fail('author.name', 'must be a non-empty string');
  if (value.email !== undefined && value.email !== null && typeof value.email !== 'string') {
    return fail('author.email', 'must be a string');
  }
  const email = typeof value.email === 'string' ? value.email.trim() : '';
  if (/[<>]/.test(name) || /[<>\s]/.test(email)) {
    return fail('author', 'name and email must not contain "<" or ">", and the email no spaces');
  }
  return optionalText(email === '' ? name : `${name} <${email}>`, 'author', MAX_SHORT_TEXT, fail);
}

function parseKeywords(value: unknown, fail: Fail): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    fail('keywords', 'must be an array of strings');
    return [];
  }
  if (value.length > MAX_KEYWORDS) {
    fail('keywords', `at most ${MAX_KEYWORDS} keywords are allowed (got ${value.length})`);
    return [];
  }
  const keywords = new Set<string>();
  value.forEach((item: unknown, i) => {
    const field = `keywords[${i}]`;
    if (typeof item !== 'string') return fail(field, 'must be a string');
    const keyword = item.trim().toLowerCase();
    if (keyword === '') return fail(field, 'must not be empty');
    if (charCount(keyword) > MAX_KEYWORD) return fail(field, `must be at most ${MAX_KEYWORD} characters`);
    keywords.add(keyword);
    return null;
  });
  return [...keywords];
}

function parseDependencies(value: unknown, self: PackageName | null, fail: Fail): Record<string, Range> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    fail('dependencies', 'must be an object mapping package names to version ranges');
    return {};
  }
  const parsed: [string, Range][] = [];
  const byCanonical = new Map<string, string>();
  for (const [key, rangeInput] of Object.entries(value)) {
    const field = `dependencies.${key}`;
    const name = parsePackageName(key);
    if (!name.ok) {
      fail(field, name.message);
      continue;
    }
    const canonical = canonicalName(name.value);
    if (self !== null && canonical === canonicalName(self)) {
      fail(field, 'a package cannot depend on itself');
      continue;
    }
    const twin = byCanonical.get(canonical);
    if (twin !== undefined) {
      fail(field, `names the same package as "${twin}"; list it once`);
      continue;
    }
    byCanonical.set(canonical, key);
    const range = parseRange(rangeInput);
    if (!range.ok) {
      fail(field, range.message);
      continue;
    }
    parsed.push([name.value, range.value]);
  }
  parsed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(parsed);
}
