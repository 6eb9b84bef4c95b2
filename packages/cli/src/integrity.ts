/** Subresource-integrity strings (`sha512-<base64>`), as the registry and synapse.lock carry them. */
import { createHash } from 'node:crypto';

/** The sha512 SRI of some bytes. */
export const sriOf = (bytes: Uint8Array): string => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/** The hex digest inside a sha512 SRI, used as a file name in the store; null when it is not one. */
export function sriHex(sri: string): string | null {
  const match = /^sha512-([A-Za-z0-9+/]{86}==)$/.exec(sri);
  return match ? Buffer.from(match[1]!, 'base64').toString('hex') : null;
}
