import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { sliceStream } from './slice-stream.ts';

const bytes = Buffer.from('0123456789abcdefghij');

function chunksOf(size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks, { objectMode: false });
}

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString();
}

describe('sliceStream', () => {
  it('cuts the same bytes whatever the chunk boundaries', async () => {
    for (const size of [1, 3, 7, 20]) {
      assert.equal(await text(sliceStream(chunksOf(size), 5, 9)), '56789abcd', `chunks of ${size}`);
      assert.equal(await text(sliceStream(chunksOf(size), 0, 1)), '0');
      assert.equal(await text(sliceStream(chunksOf(size), 19, 1)), 'j');
    }
  });

  it('stops reading the source once the slice is complete', async () => {
    const source = chunksOf(2);
    assert.equal(await text(sliceStream(source, 0, 3)), '012');
    assert.equal(source.destroyed, true);
  });

  it('fails when the source ends before the slice does', async () => {
    await assert.rejects(text(sliceStream(chunksOf(4), 15, 10)), /ended 5 bytes before the end of the range/);
  });
});
