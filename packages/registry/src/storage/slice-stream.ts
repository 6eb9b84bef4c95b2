import { Readable } from 'node:stream';

/**
 * The bytes [skip, skip + take) of `source`, streamed. Stops reading and destroys `source` as soon
 * as the slice is complete or the result is destroyed.
 */
export function sliceStream(source: Readable, skip: number, take: number): Readable {
  async function* slice() {
    let toSkip = skip;
    let left = take;
    if (left === 0) return void source.destroy();
    for await (const chunk of source) {
      let bytes = chunk as Buffer;
      if (toSkip >= bytes.length) {
        toSkip -= bytes.length;
        continue;
      }
      bytes = bytes.subarray(toSkip);
      toSkip = 0;
      if (bytes.length >= left) {
        yield bytes.subarray(0, left);
        return; // leaving the for-await destroys `source`
      }
      left -= bytes.length;
      yield bytes;
    }
    throw new Error(`The blob ended ${left} bytes before the end of the range`);
  }
  return Readable.from(slice(), { objectMode: false });
}
