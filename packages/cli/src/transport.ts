/**
 * Every HTTP request the client makes goes through `send`: a connect + response-header timeout,
 * retries with backoff for idempotent reads only, and redirects followed by hand so that a body
 * or a token never crosses to another origin.
 */
import { networkError, userError } from './errors.ts';

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Milliseconds to wait for the connection and the response headers, per attempt. */
  timeoutMs: number;
  /** Attempts for GET/HEAD (writes are never retried: a publish may have landed). */
  attempts?: number;
  /** Injected by tests; the real one waits. */
  sleep?: (ms: number) => Promise<void>;
  /** Called as a Uint8Array body is handed to the connection: bytes sent so far, and the total. */
  onBodyProgress?: (sent: number, total: number) => void;
}

const DEFAULT_ATTEMPTS = 3;
const MAX_REDIRECTS = 5;
const BACKOFF_MS = 250;
const RETRY_STATUS = new Set([502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

// The slice of an upload handed over at a time: small enough for a smooth bar, large enough to cost nothing.
const UPLOAD_CHUNK = 64 * 1024;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isRead = (method: string) => method === 'GET' || method === 'HEAD';

class Timeout extends Error {}

/** One request, aborted if the headers have not arrived in time. */
async function attempt(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Timeout()), timeoutMs);
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) throw new Timeout();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Attempts a read up to `attempts` times on timeouts, network errors and 502/503/504. */
async function withRetries(url: string, makeInit: () => RequestInit, options: SendOptions): Promise<Response> {
  const method = makeInit().method ?? 'GET';
  const attempts = isRead(method) ? Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS) : 1;
  const sleep = options.sleep ?? wait;
  for (let i = 1; ; i++) {
    try {
      const response = await attempt(url, makeInit(), options.timeoutMs);
      if (i < attempts && RETRY_STATUS.has(response.status)) {
        await response.body?.cancel();
      } else {
        return response;
      }
    } catch (error) {
      if (i >= attempts) {
        if (error instanceof Timeout) {
          const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
          throw networkError(
            'registry_timeout',
            `${new URL(url).origin} did not answer within ${options.timeoutMs} ms${tries}`,
            'The registry accepted the connection but sent nothing back. Check that it is healthy, or raise the limit with --timeout MS or SYNAPSE_TIMEOUT.',
          );
        }
        throw error;
      }
    }
    await sleep(BACKOFF_MS * 2 ** (i - 1));
  }
}

/**
 * Sends a request and returns the final response. A redirect to another origin is followed for
 * reads without the Authorization header, and refused for writes: re-posting a password or a
 * tarball to a host the user never named is how credentials leak.
 */
export async function send(url: string, options: SendOptions): Promise<Response> {
  let method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  let headers = { ...options.headers };
  let body = options.body;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const sentBody = body;
    // A stream body would go out chunked: its length is declared, as the registry checks that first.
    const length: Record<string, string> = sentBody instanceof Uint8Array && options.onBodyProgress ? { 'content-length': String(sentBody.byteLength) } : {};
    const makeInit = (): RequestInit => ({ method, headers: { ...headers, ...length }, ...bodyInit(sentBody, options.onBodyProgress) });
    const response = await withRetries(current.href, makeInit, options);
    const location = response.headers.get('location');
    if (!REDIRECT_STATUS.has(response.status) || location === null) return response;
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw networkError('too_many_redirects', `${url} redirected more than ${MAX_REDIRECTS} times`);
    const next = new URL(location, current);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw networkError('redirect_refused', `${current.origin} redirected to a ${next.protocol} URL; refusing to follow`);
    }
    if (next.origin !== current.origin) {
      if (!isRead(method)) {
        throw userError(
          'redirect_refused',
          `${current.origin} redirected a ${method} request to ${next.origin}; refusing to send it (or its body) to another host`,
          `If the registry really moved, pass its new URL with --registry ${next.origin}.`,
        );
      }
      // The token was meant for the origin the user named, not for wherever it points next.
      headers = Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== 'authorization'));
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && !isRead(method))) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== 'content-type'));
    }
    current = next;
  }
}

/**
 * The body part of a request. With a progress callback a byte body goes out as a stream of slices,
 * so the callback sees it leave; a new stream per attempt, since a redirect sends the body again.
 */
function bodyInit(body: string | Uint8Array | undefined, onProgress: SendOptions['onBodyProgress']): RequestInit {
  if (body === undefined || typeof body === 'string' || onProgress === undefined) return { body: body as BodyInit | undefined };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= body.byteLength) {
        controller.close();
        return;
      }
      const slice = body.subarray(sent, sent + UPLOAD_CHUNK);
      sent += slice.byteLength;
      controller.enqueue(slice);
      onProgress(sent, body.byteLength);
    },
  });
  // `duplex` is what Node's fetch requires for a stream body; not yet in the DOM typings.
  return { body: stream, duplex: 'half' } as RequestInit;
}

/**
 * Reads a response body, failing when no bytes arrive for `idleMs` (a registry that sends headers
 * and then stalls) or when it grows past `maxBytes` (nothing the client asks for is that big).
 */
export async function readBody(response: Response, options: { idleMs: number; maxBytes: number; what: string; onChunk?: (bytes: number) => void }): Promise<Buffer> {
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(networkError('registry_timeout', `${options.what} stalled: no data for ${options.idleMs} ms`, 'Try again, or raise the limit with --timeout MS or SYNAPSE_TIMEOUT.')), options.idleMs);
    });
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await Promise.race([reader.read(), stalled]);
    } catch (error) {
      await reader.cancel().catch(() => {});
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (step.done) return Buffer.concat(chunks);
    size += step.value.byteLength;
    if (size > options.maxBytes) {
      await reader.cancel().catch(() => {});
      throw networkError('response_too_large', `${options.what} is larger than ${options.maxBytes} bytes; refusing it`);
    }
    chunks.push(step.value);
    options.onChunk?.(step.value.byteLength);
  }
}
