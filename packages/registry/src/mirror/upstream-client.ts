/**
 * HTTP to the upstream registry's /api/v1, bounded: one timeout per request (connect to last byte),
 * a size cap on JSON answers, and every way of failing turned into UpstreamUnavailableError.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UpstreamUnavailableError, type UpstreamFailure } from './errors.ts';

export interface UpstreamClientOptions {
  /** The upstream's base URL, without /api/v1. */
  baseUrl: string;
  timeoutMs: number;
  maxDocumentBytes: number;
}

export interface UpstreamClient {
  readonly baseUrl: string;
  /** The parsed JSON at `path` (under /api/v1), or null when the upstream answers 404. */
  getJson(path: string): Promise<unknown>;
  /** The body at `path` as a stream (still under the timeout), or null on 404. */
  getStream(path: string): Promise<Readable | null>;
}

export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const fail = (reason: UpstreamFailure, message: string, cause?: unknown) =>
    new UpstreamUnavailableError(options.baseUrl, reason, message, { cause });

  async function request(path: string, accept: string): Promise<Response | null> {
    const url = `${options.baseUrl}/api/v1${path}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      throw failureOf(error, url);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      const reason = res.status >= 500 || res.status === 429 ? 'server_error' : 'bad_answer';
      throw fail(reason, `the upstream answered ${res.status} to GET ${url}`);
    }
    return res;
  }

  function failureOf(error: unknown, url: string): UpstreamUnavailableError {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return fail('timeout', `the upstream did not answer GET ${url} within ${options.timeoutMs} ms`, error);
    }
    return fail('unreachable', `the upstream could not be reached for GET ${url}`, error);
  }

  async function readCapped(res: Response, url: string): Promise<string> {
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > options.maxDocumentBytes) {
      await res.body?.cancel();
      throw fail('too_large', `the upstream's answer to GET ${url} is ${declared} bytes; the cap is ${options.maxDocumentBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > options.maxDocumentBytes) {
          throw fail('too_large', `the upstream's answer to GET ${url} passed the ${options.maxDocumentBytes}-byte cap`);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw error instanceof UpstreamUnavailableError ? error : failureOf(error, url);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  return {
    baseUrl: options.baseUrl,
    async getJson(path) {
      const res = await request(path, 'application/json');
      if (!res) return null;
      const text = await readCapped(res, path);
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw fail('bad_answer', `the upstream's answer to GET ${path} is not JSON`, error);
      }
    },
    async getStream(path) {
      const res = await request(path, 'application/gzip');
      if (!res?.body) return null;
      return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    },
  };
}
