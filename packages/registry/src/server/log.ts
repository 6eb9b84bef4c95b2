/**
 * The app's logger: pino's JSON lines, or (REGISTRY_LOG_FORMAT=pretty, or `auto` in development on a
 * terminal) one readable line per entry: "12:04:05.123 INFO  GET /api/v1/packages/:name 200 3.1 ms".
 * pino-pretty is not a dependency; the lines pino writes are reformatted here.
 */
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config/index.ts';
import { REQUEST_ID_LOG_LABEL } from './request-id.ts';

export interface LogDestination {
  write(line: string): void;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Shown in the line itself (or dropped: pino's own), not repeated among the extra fields. */
const SHOWN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'method', 'route', 'url', 'status', 'ms', REQUEST_ID_LOG_LABEL]);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One pino JSON line as a line for people; a line that is not JSON passes as it is. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = LEVELS[entry.level as number] ?? String(entry.level);
  const text = (value: unknown) => String(value).replace(CONTROL, '?');
  const parts = [time, level];
  if (entry.status !== undefined) {
    parts.push(
      `${text(entry.method)} ${text(entry.route === 'unmatched' ? entry.url : entry.route)} ${text(entry.status)} ${text(entry.ms)} ms`,
    );
    if (entry.msg !== 'request completed') parts.push(`(${text(entry.msg)})`);
  } else {
    parts.push(text(entry.msg ?? ''));
  }
  const extra = Object.entries(entry).filter(([key]) => !SHOWN.has(key) && key !== 'err');
  if (extra.length > 0) parts.push(JSON.stringify(Object.fromEntries(extra)));
  if (entry[REQUEST_ID_LOG_LABEL] !== undefined) parts.push(`[${text(entry[REQUEST_ID_LOG_LABEL])}]`);
  let line = parts.join(' ');
  const err = entry.err as { stack?: string; message?: string } | undefined;
  if (err)
    line += String(err.stack ?? err.message ?? '')
      .split('\n')
      .map((l) => `\n    ${text(l.trim())}`)
      .join('');
  return `${line}\n`;
}

/** Reformats each line pino writes before handing it to `out`. */
export function prettyDestination(out: LogDestination): LogDestination {
  return { write: (chunk) => out.write(chunk.split('\n').filter(Boolean).map(prettyLine).join('')) };
}

/**
 * Fastify's logger options. `stream` replaces stdout (tests capture the lines there); the format
 * applies to it as well.
 */
export function loggerOptions(config: Config, stream?: LogDestination): FastifyServerOptions['logger'] {
  const level = config.server.logLevel;
  if (level === 'silent') return false;
  const { logFormat } = config.observability;
  const pretty = logFormat === 'pretty' || (logFormat === 'auto' && config.env === 'development' && process.stdout.isTTY === true);
  const out = stream ?? process.stdout;
  return { level, stream: pretty ? prettyDestination(out) : out };
}

/**
 * Fastify's own request lines, changed so that a request makes one info line (the request observer's
 * "request completed", with the route template): the start of a request is a debug line, the 404
 * line is the observer's. Errors while sending (a stream failing, a serializer failing) keep
 * Fastify's lines.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: REQUEST_ID_LOG_LABEL });
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
  }

  override routeNotFound(): void {}
}
