/** Thrown by loadConfig with every wrong value at once, one line each. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Collects problems while each section reads its variables, so all of them are reported together. */
export interface EnvReader {
  env: Record<string, string | undefined>;
  problems: string[];
  string(name: string, fallback: string): string;
  optional(name: string): string | undefined;
  int(name: string, fallback: number, bounds?: { min?: number; max?: number }): number;
  bool(name: string, fallback: boolean): boolean;
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
}

export function envReader(env: Record<string, string | undefined>): EnvReader {
  const problems: string[] = [];
  const optional = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  return {
    env,
    problems,
    optional,
    string: (name, fallback) => optional(name) ?? fallback,
    int(name, fallback, bounds = {}) {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      const value = Number(raw);
      const { min = -Infinity, max = Infinity } = bounds;
      if (!/^-?\d+$/.test(raw) || value < min || value > max) {
        const range = [Number.isFinite(min) ? `>= ${min}` : '', Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
        problems.push(`${name}=${JSON.stringify(raw)} must be a whole number${range ? ` ${range}` : ''}`);
        return fallback;
      }
      return value;
    },
    bool(name, fallback) {
      const raw = optional(name)?.toLowerCase();
      if (raw === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
      if (['0', 'false', 'no', 'off'].includes(raw)) return false;
      problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
      return fallback;
    },
    oneOf(name, allowed, fallback) {
      const raw = optional(name);
      if (raw === undefined) return fallback;
      if ((allowed as readonly string[]).includes(raw)) return raw as (typeof allowed)[number];
      problems.push(`${name}=${JSON.stringify(raw)} must be one of ${allowed.join(', ')}`);
      return fallback;
    },
  };
}
