/**
 * Talking to the registry's JSON API. Failures become CliErrors: a 4xx is the user's to fix
 * (exit 1, the registry's `detail` and field errors shown), a 5xx or no answer at all is the
 * network's or the registry's (exit 2).
 */
import type { Context } from './context.ts';
import { CliError, EXIT_NETWORK, EXIT_USER, networkError, userError } from './errors.ts';
import { performance } from 'node:perf_hooks';
import { type Answer, readBody, send } from './transport.ts';
import { USER_AGENT } from './version.ts';

export interface RequestOptions {
  method?: string;
  /** Path under `/api/v1`, e.g. `/packages/foo`. */
  path: string;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
  /** `required`: fail before sending when there is no token; `optional`: send one if there is. */
  auth?: 'required' | 'optional' | 'none';
  /** A token to use instead of the context's (login checks one before storing it). */
  token?: string;
  /** Bytes of `body` sent so far, and its size (publish draws its upload bar from this). */
  onUploadProgress?: (sent: number, total: number) => void;
}

interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

// Far above any JSON answer the API gives (a package document with thousands of versions).
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** Sends one request and returns the parsed JSON body (null for 204). */
export async function apiRequest<T = unknown>(ctx: Context, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
  if (options.auth === 'required' || options.auth === 'optional') {
    const token = options.token ?? (await ctx.token());
    if (token) headers.authorization = `Bearer ${token}`;
    else if (options.auth === 'required') throw notLoggedIn(ctx);
  }
  let body: string | Uint8Array | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
    body = new Uint8Array(options.body);
  }
  const url = `${ctx.registry}/api/v1${options.path}`;
  let response: Answer;
  try {
    const started = performance.now();
    response = await send(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      timeoutMs: ctx.timeoutMs,
      onBodyProgress: options.onUploadProgress,
    });
    if (ctx.verbose)
      ctx.progress.note(
        `${options.method ?? (body === undefined ? 'GET' : 'POST')} ${url} → ${response.status} (${Math.round(performance.now() - started)} ms)`,
      );
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw networkError(
      'registry_unreachable',
      `Could not reach the registry at ${ctx.registry} (${describeCause(cause)})`,
      registryHint(ctx),
      cause,
    );
  }
  if (response.status === 204) return null as T;
  const text = (
    await readBody(response, { idleMs: ctx.timeoutMs, maxBytes: MAX_ANSWER_BYTES, what: `The answer from ${ctx.registry}` })
  ).toString('utf8');
  let parsed: unknown = null;
  let isJson = text !== '';
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    isJson = false;
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  if (response.ok && text !== '' && !isJson)
    throw notARegistry(ctx, `${method} ${url} answered ${response.status} ${describeType(response)}, not JSON`);
  if (response.ok) return parsed as T;
  // Every refusal from a Synapse registry is a problem document with a code; a 4xx without one is
  // some other server (a web site, a proxy's login page) at that URL.
  const problem = isJson && typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : null;
  if (response.status < 500 && response.status !== 429 && typeof problem?.code !== 'string') {
    throw notARegistry(ctx, `${method} ${url} answered ${response.status} ${describeType(response)}, not a problem document`);
  }
  throw problemError(ctx, response.status, problem ?? {});
}

/** "Not logged in", saying so when SYNAPSE_TOKEN is set but withheld from this registry. */
export function notLoggedIn(ctx: Context, need = 'an API token'): CliError {
  return userError(
    'not_logged_in',
    `You are not logged in to ${ctx.registry}`,
    ctx.envTokenWithheld ?? `Run synapse pkg login, or set SYNAPSE_TOKEN to ${need}.`,
  );
}

function problemError(ctx: Context, status: number, problem: Problem): CliError {
  const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
  const fields = problem.errors?.map((e) => `  ${e.field}: ${e.message}`).join('\n');
  const message = fields ? `${detail}\n${fields}` : detail;
  const code = problem.code ?? `http_${status}`;
  const data = { status, ...(problem.errors ? { errors: problem.errors } : {}) };
  if (status === 401) {
    return new CliError(EXIT_USER, code, message, {
      hint: `Log in again with synapse pkg login (registry ${ctx.registry}), or check SYNAPSE_TOKEN.`,
      data,
    });
  }
  if (status === 429)
    return new CliError(EXIT_NETWORK, code, message, { hint: 'The registry is rate limiting you; wait and try again.', data });
  if (status < 500) return new CliError(EXIT_USER, code, message, { data });
  return new CliError(EXIT_NETWORK, code, `The registry failed: ${message}`, {
    hint: 'Try again later; if it persists, tell the registry operator.',
    data,
  });
}

const describeType = (response: Answer) => response.header('content-type')?.split(';')[0] || 'no content type';

function notARegistry(ctx: Context, what: string): CliError {
  return userError('not_a_registry', `${ctx.registry} does not look like a Synapse registry: ${what}`, registryHint(ctx));
}

export function describeCause(cause: unknown): string {
  // node:http fails with the system error itself (ECONNREFUSED); a wrapped one carries it as its cause.
  const own = (cause as { code?: unknown })?.code;
  if (typeof own === 'string' && /^E[A-Z_]+$/.test(own)) return own;
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  return inner?.code ?? inner?.message ?? (cause instanceof Error ? cause.message : String(cause));
}

export function registryHint(ctx: Context): string {
  return `Check the URL (from ${ctx.registrySource === 'default' ? 'the default' : sourceName(ctx.registrySource)}) and that the registry is running; --registry or SYNAPSE_REGISTRY choose another.`;
}

function sourceName(source: Context['registrySource']): string {
  return { flag: '--registry', env: 'SYNAPSE_REGISTRY', project: 'synapse.json', user: 'the user config', default: 'the default' }[source];
}

/** Encodes a package name or version for a URL path. */
export const seg = (text: string) => encodeURIComponent(text);
