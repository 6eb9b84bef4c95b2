/**
 * Every HTTP request the client makes goes through `send`: a connect + response-header timeout,
 * retries with backoff for idempotent reads only, and redirects followed by hand so that a body
 * or a token never crosses to another origin.
 */
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { CliError, networkError, userError } from './errors.ts';

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
const NO_BODY_STATUS = new Set([204, 205, 304]);

// The slice of an upload handed over at a time: small enough for a smooth bar, large enough to cost nothing.
const UPLOAD_CHUNK = 64 * 1024;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const isRead = (method: string) => method === 'GET' || method === 'HEAD';

class Timeout extends Error {}

/** A response whose headers have arrived; its body is read with `readBody` or thrown away with `discard`. */
export interface Answer {
  readonly status: number;
  /** 2xx. */
  readonly ok: boolean;
  /** One header's value (lower-case name), or null. */
  header(name: string): string | null;
  readonly body: IncomingMessage;
  /** Drops the body unread (the connection is closed rather than drained). */
  discard(): void;
}

interface Outgoing {
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  onProgress?: SendOptions['onBodyProgress'];
}

function answerOf(res: IncomingMessage): Answer {
  const status = res.statusCode ?? 0;
  // Nothing will read a body that cannot exist; left paused, it would hold the socket (and the process) open.
  if (NO_BODY_STATUS.has(status)) res.resume();
  return {
    status,
    ok: status >= 200 && status < 300,
    header: (name) => {
      const value = res.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    body: res,
    discard: () => void res.destroy(),
  };
}

// node:https (and TLS with it) loads only for an https registry: a few ms of every command's start.
const requestFor = async (url: URL) => (url.protocol === 'https:' ? (await import('node:https')).request : httpRequest);

/** One request, aborted if the headers have not arrived in time. */
async function attempt(url: URL, out: Outgoing, timeoutMs: number): Promise<Answer> {
  const request = await requestFor(url);
  const length = out.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(out.body)) };
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method: out.method, headers: { ...out.headers, ...length } });
    const timer = setTimeout(() => req.destroy(new Timeout()), timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      resolve(answerOf(res));
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // Only the caller's progress callback can throw here (a failed write is the request's 'error'); it fails the request.
    writeBody(req, out).catch((error: unknown) => req.destroy(error as Error));
  });
}

/**
 * Sends the body. With a progress callback it goes out in slices, each reported as the connection
 * takes it, so the callback sees the upload leave rather than land in a buffer at once.
 */
async function writeBody(req: ClientRequest, out: Outgoing): Promise<void> {
  const { body, onProgress } = out;
  if (body === undefined || typeof body === 'string' || onProgress === undefined) {
    req.end(body);
    return;
  }
  for (let sent = 0; sent < body.byteLength; ) {
    const slice = body.subarray(sent, sent + UPLOAD_CHUNK);
    sent += slice.byteLength;
    const flushed = req.write(slice);
    onProgress(sent, body.byteLength);
    if (!flushed && !(await drained(req))) return;
  }
  req.end();
}

/** True once the connection wants more, false if it closed first. */
const drained = (req: ClientRequest) =>
  new Promise<boolean>((resolve) => {
    const done = (more: boolean) => () => {
      req.off('drain', onDrain).off('close', onClose);
      resolve(more);
    };
    const onDrain = done(true);
    const onClose = done(false);
    req.on('drain', onDrain).on('close', onClose);
  });

/** Attempts a read up to `attempts` times on timeouts, network errors and 502/503/504. */
async function withRetries(url: URL, out: Outgoing, options: SendOptions): Promise<Answer> {
  const attempts = isRead(out.method) ? Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS) : 1;
  const sleep = options.sleep ?? wait;
  for (let i = 1; ; i++) {
    try {
      const answer = await attempt(url, out, options.timeoutMs);
      if (i < attempts && RETRY_STATUS.has(answer.status)) {
        answer.discard();
      } else {
        return answer;
      }
    } catch (error) {
      if (i >= attempts) {
        if (error instanceof Timeout) {
          const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
          throw networkError(
            'registry_timeout',
            `${url.origin} did not answer within ${options.timeoutMs} ms${tries}`,
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
export async function send(url: string, options: SendOptions): Promise<Answer> {
  let method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  let headers = { ...options.headers };
  let body = options.body;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const answer = await withRetries(current, { method, headers, body, onProgress: options.onBodyProgress }, options);
    const location = answer.header('location');
    if (!REDIRECT_STATUS.has(answer.status) || location === null) return answer;
    answer.discard();
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
      headers = withoutHeader(headers, 'authorization');
    }
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && !isRead(method))) {
      method = 'GET';
      body = undefined;
      headers = withoutHeader(headers, 'content-type');
    }
    current = next;
  }
}

const withoutHeader = (headers: Record<string, string>, name: string) =>
  Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name));

/**
 * Reads a response body, failing when no bytes arrive for `idleMs` (a registry that sends headers
 * and then stalls) or when it grows past `maxBytes` (nothing the client asks for is that big).
 */
export async function readBody(
  answer: Answer,
  options: { idleMs: number; maxBytes: number; what: string; onChunk?: (bytes: number) => void },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = answer.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            networkError(
              'registry_timeout',
              `${options.what} stalled: no data for ${options.idleMs} ms`,
              'Try again, or raise the limit with --timeout MS or SYNAPSE_TIMEOUT.',
            ),
          ),
        options.idleMs,
      );
    });
    let step: IteratorResult<Buffer>;
    try {
      step = await Promise.race([reader.next(), stalled]);
    } catch (error) {
      answer.discard();
      throw error instanceof CliError ? error : cutOff(options.what, size, error);
    } finally {
      clearTimeout(timer);
    }
    if (step.done) return Buffer.concat(chunks);
    size += step.value.byteLength;
    if (size > options.maxBytes) {
      answer.discard();
      throw networkError('response_too_large', `${options.what} is larger than ${options.maxBytes} bytes; refusing it`);
    }
    chunks.push(step.value);
    options.onChunk?.(step.value.byteLength);
  }
}

/** The connection closed (or failed) before the body ended: a network failure, said plainly. */
const cutOff = (what: string, size: number, cause: unknown) =>
  networkError(
    'response_cut_off',
    `${what} was cut off: the connection closed after ${size} bytes`,
    'Try again; if it keeps happening, check the registry or any proxy in between.',
    cause,
  );
