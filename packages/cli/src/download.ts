/**
 * Downloading one locked tarball, and the byte meter that turns many parallel downloads into one
 * progress bar (as cargo, pnpm and uv show for large downloads).
 */
import type { LockedPackage } from '../../core/src/lockfile/format.ts';
import type { Context } from './context.ts';
import { CliError, networkError } from './errors.ts';
import { humanBytes } from './format.ts';
import { describeCause } from './http.ts';
import { type Answer, readBody, send } from './transport.ts';
import { USER_AGENT } from './version.ts';

// Above the largest upload a registry accepts by default (100 MB), well short of exhausting memory.
const MAX_TARBALL_BYTES = 1024 * 1024 * 1024;
// Below this the download is over before a bar could say anything.
export const BAR_FROM_BYTES = 1_000_000;

/** `[########------------]`: received of total, in `width` cells. */
export function byteBar(received: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.floor((received / total) * width)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export interface ByteMeter {
  /** A download started whose Content-Length is `bytes` (unknown lengths count as 0). */
  expect(bytes: number): void;
  received(bytes: number): void;
  /** `[####----] 12.4 MB / 58.6 MB`, or null while the total is too small to be worth a bar. */
  text(): string | null;
}

export function byteMeter(): ByteMeter {
  let total = 0;
  let got = 0;
  return {
    expect: (bytes) => void (total += Number.isFinite(bytes) && bytes > 0 ? bytes : 0),
    received: (bytes) => void (got += bytes),
    text: () => (total < BAR_FROM_BYTES ? null : `${byteBar(got, total)} ${humanBytes(got)} / ${humanBytes(total)}`),
  };
}

/** GET the tarball (the token only to the registry's own origin), bounded in time and size. */
export async function download(
  ctx: Context,
  pkg: LockedPackage,
  token: string | null,
  meter: ByteMeter,
  onChunk: () => void,
): Promise<Buffer> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (token && new URL(pkg.tarball).origin === new URL(ctx.registry).origin) headers.authorization = `Bearer ${token}`;
  let response: Answer;
  try {
    response = await send(pkg.tarball, { headers, timeoutMs: ctx.timeoutMs });
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw networkError(
      'registry_unreachable',
      `Could not download ${pkg.name}@${pkg.version} from ${pkg.tarball} (${describeCause(cause)})`,
      'Check your connection, or use --offline if the cache holds every package.',
      cause,
    );
  }
  if (!response.ok) {
    response.discard();
    throw networkError(
      'download_failed',
      `Downloading ${pkg.name}@${pkg.version} failed: ${pkg.tarball} answered ${response.status}`,
      response.status === 404 ? 'The version may have been deleted; run synapse pkg update ' + pkg.name + '.' : undefined,
    );
  }
  meter.expect(Number(response.header('content-length')));
  return readBody(response, {
    idleMs: ctx.timeoutMs,
    maxBytes: MAX_TARBALL_BYTES,
    what: `The tarball of ${pkg.name}@${pkg.version}`,
    onChunk: (bytes) => {
      meter.received(bytes);
      onChunk();
    },
  });
}
