import { parseStrictJson, StrictJsonError } from './strict-json.ts';
import { quotePath, TarballError } from './tarball-error.ts';

/** Nesting a manifest never needs; deeper is refused before it can cost anything. */
const MAX_MANIFEST_DEPTH = 32;

/**
 * The JSON object in a manifest's bytes: UTF-8 (a leading BOM dropped), one value per key at
 * every depth, an object at the top. The size bound is the caller's (MAX_MANIFEST_BYTES).
 */
export function decodeManifest(bytes: Buffer, path: string): unknown {
  let json: unknown;
  try {
    // fatal: invalid UTF-8 is an error rather than silently replaced; ignoreBOM false drops a BOM.
    json = parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes), { maxDepth: MAX_MANIFEST_DEPTH });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const duplicate = error instanceof StrictJsonError && detail.startsWith('duplicate key');
    throw new TarballError(
      duplicate ? 'manifest_duplicate_key' : 'manifest_invalid_json',
      duplicate
        ? `${quotePath(path)} has a ${detail}; tools disagree on which value counts, so keep each key once`
        : `${quotePath(path)} is not valid UTF-8 JSON (${detail}); fix the syntax and pack again`,
      { path, cause: error },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TarballError(
      'manifest_invalid_json',
      `${quotePath(path)} must hold a JSON object such as {"name": "my-package", "version": "1.0.0"}`,
      { path },
    );
  }
  return json;
}
