/** Fields of a posted form (application/x-www-form-urlencoded), read defensively: strings only, length-capped. */
type Form = Record<string, unknown>;

/** One text field, or '' when it is missing or not text; cut at `max` characters. */
export const field = (body: unknown, name: string, max = 1024): string => {
  const value = (body as Form | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
};

/** Every value of a repeated field (checkboxes), at most `max` of them. */
export function fieldList(body: unknown, name: string, max: number): string[] {
  const value = (body as Form | undefined)?.[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .slice(0, max)
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.slice(0, 1024));
}

/** A positive whole-number path segment (an id), or null. */
export function idParam(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[0-9]{1,15}$/.test(raw)) return null;
  const id = Number(raw);
  return id >= 1 && Number.isSafeInteger(id) ? id : null;
}
