/**
 * Feeds inflated bytes to the tar parser and finds where the archive ends: the first all-zero
 * block where a header is due. Everything after it must be zero (the end marker's second block
 * and record padding). Readers disagree about what follows (GNU tar stops at the first zero
 * block, `tar -i` and Python's ignore_zeros read on), so nothing but zeros may be there.
 *
 * Headers sit at multiples of 512, so only aligned all-zero blocks can be the marker; the parser
 * is fed up to each such block and says (its synchronous 'nullBlock' event) whether it was at a
 * header. Other data goes in large writes.
 */
import type { Parser } from 'tar';
import { TarballError } from './tarball-error.ts';

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);

export interface TarEnd {
  /** Inflated bytes, in order. Throws a TarballError for data after the end marker. */
  write(chunk: Buffer): void;
  /** Ends the parser; throws when the archive stops inside a block. */
  end(): void;
}

const trailingData = () =>
  new TarballError(
    'tarball_trailing_data',
    'The archive has data after its end-of-archive marker; some tools would read it as more entries, so pack the tarball again with a standard tool',
  );

const isZero = (bytes: Buffer, from: number, to: number): boolean => {
  for (let i = from; i < to; i += BLOCK) {
    const end = Math.min(i + BLOCK, to);
    if (!bytes.subarray(i, end).equals(ZERO_BLOCK.subarray(0, end - i))) return false;
  }
  return true;
};

export function createTarEnd(parser: Parser): TarEnd {
  let carry: Buffer = Buffer.alloc(0);
  let ended = false;
  let nullBlock = false;
  parser.on('nullBlock', () => {
    nullBlock = true;
  });

  return {
    write(chunk) {
      if (ended) {
        if (!isZero(chunk, 0, chunk.length)) throw trailingData();
        return;
      }
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const whole = data.length - (data.length % BLOCK);
      let start = 0;
      for (let at = 0; at < whole; at += BLOCK) {
        // First byte first: a header or file data rarely starts with zero.
        if (data[at] !== 0 || !isZero(data, at, at + BLOCK)) continue;
        parser.write(data.subarray(start, at + BLOCK));
        start = at + BLOCK;
        if (nullBlock) {
          ended = true;
          if (!isZero(data, start, data.length)) throw trailingData();
          return;
        }
      }
      if (start < whole) parser.write(data.subarray(start, whole));
      carry = Buffer.from(data.subarray(whole));
    },
    end() {
      if (!ended && carry.length > 0) {
        throw new TarballError(
          'tarball_not_tar',
          'The gzip data is not a valid tar archive (it ends inside a 512-byte block); create the tarball with a standard tar tool',
        );
      }
      parser.end();
    },
  };
}
