/**
 * What a connection gets when Node's HTTP parser refuses what it sent, before any request exists: a
 * malformed request line or header, headers past the size limit, a request not received in time.
 * problem+json like every other error (Fastify's own handler answers these with a JSON of its own
 * shape), then the connection is closed: what follows on it cannot be read as a request.
 */
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { RegistryError } from '../../../core/src/errors.ts';
import { BASE_SECURITY_HEADERS, problemOf } from './problem.ts';

function refusal(code: string | undefined): RegistryError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new RegistryError(408, 'request_timeout', 'The request was not received in time; send it again');
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new RegistryError(
      431,
      'headers_too_large',
      `The request's headers are larger than the ${maxHeaderSize / 1024} KiB this server reads; send fewer or shorter headers`,
    );
  }
  return new RegistryError(400, 'malformed_request', 'The request is not valid HTTP/1.1 (its request line or a header could not be read)');
}

/** For Fastify's `clientErrorHandler` (Node's `clientError` event). */
export function sendClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A connection reset by the client has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = refusal(error.code);
  const body = JSON.stringify(problemOf(problem));
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}`,
    'content-type: application/problem+json',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(BASE_SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
  ];
  if (socket.writable) socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
  socket.destroy();
}
