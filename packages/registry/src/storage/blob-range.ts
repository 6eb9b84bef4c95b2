import { RegistryError } from '../../../core/src/errors.ts';
import type { BlobRange } from './blob-store.ts';

/** Checks the shape of a range before any I/O; a reversed or negative range is a caller bug. */
export function assertRangeShape(range: BlobRange): void {
  const { start, end } = range;
  const badEnd = end !== undefined && (!Number.isSafeInteger(end) || end < start);
  if (!Number.isSafeInteger(start) || start < 0 || badEnd) {
    throw new RegistryError(400, 'invalid_range', 'A byte range needs 0 <= start <= end');
  }
}

/** The 416 an HTTP layer can send as is: it carries the `Content-Range: bytes *\/size` header. */
export function rangeNotSatisfiable(size: number): RegistryError {
  return new RegistryError(416, 'range_not_satisfiable', `The range starts past the end of the ${size}-byte blob`, {
    headers: { 'content-range': `bytes */${size}` },
    data: { size },
  });
}

/** Clamps `end` to the last byte; throws 416 when `start` lies past it (always, for an empty blob). */
export function resolveRange(range: BlobRange, size: number): { start: number; end: number } {
  assertRangeShape(range);
  if (range.start >= size) throw rangeNotSatisfiable(size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}
