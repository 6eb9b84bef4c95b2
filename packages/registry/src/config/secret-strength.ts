/**
 * How much randomness a secret seems to hold: its length times the Shannon entropy of its characters.
 * An estimate that only ever errs high for patterned secrets (`abcabc…`), but it refuses what a
 * person types as a placeholder (`aaaa…`, `11111…`, `passwordpassword…`) however long.
 */
export function estimatedSecretBits(secret: string): number {
  const counts = new Map<string, number>();
  for (const char of secret) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...secret].length;
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / length;
    perChar -= p * Math.log2(p);
  }
  return Math.floor(length * perChar);
}

export const distinctCharacters = (secret: string): number => new Set(secret).size;

/** A command line that prints a good secret, for error messages. */
export const SECRET_HINT =
  "generate one with `openssl rand -base64 48` or `node -e \"console.log(require('node:crypto').randomBytes(48).toString('base64'))\"`";
