/**
 * Inflates exactly one gzip member (RFC 1952) and refuses anything after its trailer. Node's
 * gunzip silently goes on into a second member and skips trailing zeros, so what it inflates is
 * not what other tools read, and the extra bytes would be stored unchecked. Here the header and
 * trailer are read by hand and only the deflate data goes through zlib.
 */
import { createInflateRaw, crc32, type ZlibOptions } from 'node:zlib';
import { TarballError } from './tarball-error.ts';

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED = 0xe0;
/** File name and comment fields longer than this are not from a real packer. */
const MAX_HEADER_TEXT = 4096;
const TRAILER = 8;

export interface GzipMemberHandlers {
  data(chunk: Buffer): void;
  end(): void;
  error(error: TarballError): void;
}

export interface GzipMember {
  /** Feeds upload bytes; `done` runs once they are taken, which is when to send more. */
  write(chunk: Buffer, done: () => void): void;
  /** No more upload bytes. */
  end(): void;
  /**
   * Stops handing out inflated bytes until resume(): zlib then stops inflating once its small output
   * buffer is full, and `done` waits, so the upload is not read on either.
   */
  pause(): void;
  resume(): void;
  destroy(): void;
}

export const notGzip = () =>
  new TarballError('tarball_not_gzip', 'The body is not gzip data; upload the package as a gzip-compressed tar (.tgz)');

const corrupt = (detail: string, cause?: unknown) =>
  new TarballError('tarball_gzip_corrupt', `The gzip stream is damaged (${detail}); pack and upload the tarball again`, { cause });

/** Length of the gzip header at the start of `head`, or null when more bytes are needed. */
export function gzipHeaderLength(head: Buffer): number | null {
  if (head.length >= 1 && head[0] !== 0x1f) throw notGzip();
  if (head.length >= 2 && head[1] !== 0x8b) throw notGzip();
  if (head.length < 10) return null;
  if (head[2] !== 8) throw corrupt('the compression method is not deflate');
  const flags = head[3]!;
  if (flags & RESERVED) throw corrupt('reserved header flags are set');
  let at = 10;
  if (flags & FEXTRA) {
    if (head.length < at + 2) return null;
    at += 2 + head.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = head.indexOf(0, at);
    if (zero === -1) {
      if (head.length - at > MAX_HEADER_TEXT) throw corrupt('a header text field is too long');
      return null;
    }
    if (zero - at > MAX_HEADER_TEXT) throw corrupt('a header text field is too long');
    at = zero + 1;
  }
  if (flags & FHCRC) at += 2;
  return head.length >= at ? at : null;
}

/** Bytes after a member's trailer: another member, or anything else. */
function trailingError(extra: Buffer): TarballError {
  return extra[0] === 0x1f
    ? new TarballError(
        'tarball_multiple_gzip_members',
        'The tarball holds more than one gzip member; other tools read the later ones too, so pack the tarball as a single gzip stream',
      )
    : new TarballError(
        'tarball_trailing_data',
        'The upload has bytes after the end of the gzip stream; pack the tarball again and upload only its bytes',
      );
}

/**
 * Inflates one gzip member with zlib's buffer at `highWaterMark` (what a hostile upload gets
 * inflated ahead of the consumer). The consumer's `data` runs synchronously per inflated chunk.
 */
export function createGzipMember(handlers: GzipMemberHandlers, highWaterMark: number): GzipMember {
  // highWaterMark is a stream option zlib streams take, though ZlibOptions does not list it.
  const inflate = createInflateRaw({ highWaterMark } as ZlibOptions);
  let head: Buffer | null = Buffer.alloc(0);
  let trailer: Buffer | null = null;
  let fed = 0;
  let crc = 0;
  let size = 0;
  let stopped = false;
  let inflateDone = false;
  let inputDone = false;
  let writing = false;

  const stop = (error: TarballError): void => {
    if (stopped) return;
    stopped = true;
    inflate.destroy();
    handlers.error(error);
  };

  // Each inflated chunk is handled in a microtask, after zlib has already been handed its next write:
  // the thread pool inflates chunk n + 1 while this thread reads chunk n (tar rules, secret scan),
  // instead of the two taking turns. At most one chunk waits, so nothing more is inflated ahead.
  const pending: Array<Buffer | null> = [];
  const drain = (): void => {
    while (pending.length > 0) {
      const chunk = pending.shift()!;
      if (stopped) return void (pending.length = 0);
      if (chunk === null) {
        inflateDone = true;
        settle();
        continue;
      }
      crc = crc32(chunk, crc);
      size += chunk.length;
      handlers.data(chunk);
    }
  };
  const later = (item: Buffer | null): void => {
    if (pending.push(item) === 1) queueMicrotask(drain);
  };
  let inflated = 0;
  inflate.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
    if (!stopped) later(chunk);
  });
  inflate.once('error', (error) => stop(inflated === 0 ? notGzip() : corrupt(error.message, error)));
  // Done once zlib has delivered its last byte and the upload has ended, in either order.
  const settle = (): void => {
    if (stopped || !inflateDone || !inputDone || writing) return;
    const end: Buffer | null = trailer;
    if (end === null || end.length < TRAILER) return stop(corrupt('it ends before its trailer'));
    if (end.readUInt32LE(0) !== crc >>> 0) return stop(corrupt('the CRC does not match'));
    if (end.readUInt32LE(4) !== size % 2 ** 32) return stop(corrupt('the length does not match'));
    stopped = true;
    handlers.end();
  };
  inflate.once('end', () => later(null));

  /** Bytes after the deflate data: the 8-byte trailer, then nothing. */
  const afterDeflate = (bytes: Buffer): void => {
    const have: Buffer = trailer ?? Buffer.alloc(0);
    const take = Math.min(TRAILER - have.length, bytes.length);
    trailer = Buffer.concat([have, bytes.subarray(0, take)]);
    if (bytes.length > take) stop(trailingError(bytes.subarray(take)));
  };

  const toInflate = (bytes: Buffer, done: () => void): void => {
    if (trailer !== null) {
      afterDeflate(bytes);
      return done();
    }
    fed += bytes.length;
    writing = true;
    inflate.write(bytes, () => {
      writing = false;
      if (stopped) return;
      // zlib stops taking input at the end of the deflate data; whatever it left is past it.
      const left = fed - inflate.bytesWritten;
      if (left > 0) afterDeflate(bytes.subarray(bytes.length - left));
      if (inputDone) finishInput();
      done();
    });
  };

  const finishInput = (): void => {
    if (stopped) return;
    // Once the deflate data has ended zlib has ended its output on its own.
    if (trailer === null) inflate.end();
    settle();
  };

  return {
    write(chunk, done) {
      if (stopped) return;
      if (head === null) return toInflate(chunk, done);
      head = Buffer.concat([head, chunk]);
      let length: number | null;
      try {
        length = gzipHeaderLength(head);
      } catch (error) {
        return stop(error as TarballError);
      }
      if (length === null) return done();
      const rest = head.subarray(length);
      head = null;
      if (rest.length === 0) return done();
      toInflate(rest, done);
    },
    end() {
      if (stopped) return;
      if (head !== null) return stop(notGzip());
      inputDone = true;
      // The upload can end while zlib still works on its last chunk; the write's callback finishes then.
      if (!writing) finishInput();
    },
    pause: () => void inflate.pause(),
    resume: () => void inflate.resume(),
    destroy() {
      stopped = true;
      inflate.destroy();
    },
  };
}
