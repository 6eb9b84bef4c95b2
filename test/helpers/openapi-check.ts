/**
 * Checks a response of the API against the registry's own OpenAPI document: the status must be
 * documented for that route and method, and a JSON body must match the schema documented for that
 * status and media type. The shared test client runs it on every call, so the document stays honest.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under ESM the function may sit one level down.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: object;
}

interface Route {
  template: string;
  pattern: RegExp;
  params: number;
  operations: Record<string, Operation>;
}

export interface CheckedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: unknown;
  /** The body as received; empty means there is nothing to check against a schema. */
  text: string;
}

/** One checker per registry (origin); the document is fetched once. */
const checkers = new Map<string, Promise<((res: CheckedResponse) => void) | null>>();
/**
 * Checkers by document text: the registries a test file starts mostly publish the same document,
 * and a checker keeps the validators it compiled (tens of milliseconds each).
 */
const byDocument = new Map<string, (res: CheckedResponse) => void>();

/**
 * Hands over a registry's document taken in-process, so the checker does not fetch it: a fetch would
 * count against the rate limits some tests count exactly.
 */
export function provideDocument(origin: string, doc: unknown): void {
  const text = JSON.stringify(doc);
  let checker = byDocument.get(text);
  if (!checker) {
    checker = createChecker(JSON.parse(text) as OpenApiDocument);
    byDocument.set(text, checker);
  }
  checkers.set(origin, Promise.resolve(checker));
}

export async function checkAgainstOpenApi(res: CheckedResponse): Promise<void> {
  const { origin, pathname } = new URL(res.url);
  if (!pathname.startsWith('/api/v1/') || pathname === '/api/v1/openapi.json' || pathname.startsWith('/api/v1/docs')) return;
  let checker = checkers.get(origin);
  if (!checker) {
    checker = loadChecker(origin);
    checkers.set(origin, checker);
  }
  (await checker)?.(res);
}

async function loadChecker(origin: string): Promise<((res: CheckedResponse) => void) | null> {
  const res = await fetch(`${origin}/api/v1/openapi.json`).catch(() => null);
  // Not a registry (or gone): nothing to check against; openapi.test.ts guards the document itself.
  if (!res || res.status !== 200) return null;
  return createChecker((await res.json()) as OpenApiDocument);
}

/** A checker for one document; throws an Error naming the route and what did not match. */
export function createChecker(doc: OpenApiDocument): (res: CheckedResponse) => void {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The components once, under an id the response schemas refer to: each is compiled once per
  // checker instead of again inside every response schema that uses it.
  ajv.addSchema({ $id: DOCUMENT_ID, components: closed(doc.components ?? {}) });
  const compiled = new Map<string, ValidateFunction>();
  const routes: Route[] = Object.entries(doc.paths)
    .map(([template, operations]) => ({
      template,
      operations,
      params: (template.match(/\{/g) ?? []).length,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }))
    // Static segments win, as in the router: /packages/recent is not /packages/{name}.
    .sort((a, b) => a.params - b.params);

  return (res) => {
    const method = res.method.toLowerCase();
    const pathname = new URL(res.url).pathname;
    const route = routes.find((r) => r.pattern.test(pathname) && r.operations[method]);
    // No documented operation (an unknown route, a HEAD Fastify derives from a GET): nothing promised.
    if (!route) return;
    const where = `${res.method} ${route.template}`;
    const documented = route.operations[method]!.responses?.[String(res.status)];
    if (!documented) {
      throw new Error(`OpenAPI: ${where} answered ${res.status}, which is not documented (body: ${res.text.slice(0, 300)})`);
    }
    if (res.text === '' || !/json/.test(res.contentType)) return;
    const media = res.contentType.split(';')[0]!.trim();
    const schema = documented.content?.[media]?.schema;
    if (!schema) throw new Error(`OpenAPI: ${where} ${res.status} sent ${media}, which is not documented`);
    const key = `${route.template} ${method} ${res.status} ${media}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(closed(inDocument(schema)) as object);
      compiled.set(key, validate);
    }
    if (!validate(res.body)) {
      const errors = ajv.errorsText(validate.errors, { separator: '; ' });
      throw new Error(`OpenAPI: ${where} ${res.status} body does not match its schema: ${errors} (body: ${res.text.slice(0, 300)})`);
    }
  };
}

const DOCUMENT_ID = 'openapi-document';

/** The schema with its `#/components/…` references pointing into the document added under DOCUMENT_ID. */
function inDocument(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inDocument);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${DOCUMENT_ID}${v}` : inDocument(v),
    ]),
  );
}

/**
 * The schema with every object closed unless it says otherwise: the serialiser drops undeclared
 * fields, but a body sent pre-serialised (the package document) would carry them undocumented.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}
