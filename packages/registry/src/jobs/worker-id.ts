import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Names this process in the claims it holds (`jobs.locked_by`): host, pid, and a random part for pid reuse. */
export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
