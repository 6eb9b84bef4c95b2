/** A whole-number command-line option within bounds, or its default; anything else stops the run. */
export function bounded(raw: string | undefined, fallback: number, min: number, max: number, what: string): number {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${what} must be an integer from ${min} to ${max}, got ${raw}`);
  return value;
}
