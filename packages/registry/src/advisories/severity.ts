/**
 * An advisory's severity level: `low`, `moderate`, `high` or `critical` (npm's words), from the
 * database's own word when it gives one (`database_specific.severity`, as GitHub's advisories do),
 * else from the base score of a CVSS 3.x vector (FIRST's formula), else unknown (null). CVSS 2 and 4
 * vectors are kept and shown but not scored here: give the level beside them.
 */
export const SEVERITY_LEVELS = ['low', 'moderate', 'high', 'critical'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

/** Rank for comparisons; an unknown level ranks above every known one, so a gate never lets it through. */
export function levelRank(level: SeverityLevel | null): number {
  return level === null ? SEVERITY_LEVELS.length : SEVERITY_LEVELS.indexOf(level);
}

/** The database's word (LOW, MODERATE or MEDIUM, HIGH, CRITICAL, any case), or null. */
export function levelFromWord(word: unknown): SeverityLevel | null {
  if (typeof word !== 'string') return null;
  const w = word.trim().toLowerCase();
  if (w === 'medium') return 'moderate';
  return (SEVERITY_LEVELS as readonly string[]).includes(w) ? (w as SeverityLevel) : null;
}

/** The level of a CVSS base score (FIRST's qualitative scale; 0.0 "none" counts as low). */
export function levelFromScore(score: number): SeverityLevel {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'moderate';
  return 'low';
}

const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};
const PRIVILEGES: Record<string, { U: number; C: number }> = { N: { U: 0.85, C: 0.85 }, L: { U: 0.62, C: 0.68 }, H: { U: 0.27, C: 0.5 } };

/** CVSS 3.1's Roundup: the smallest one-decimal number at or above x, free of float noise. */
function roundUp(x: number): number {
  const n = Math.round(x * 100_000);
  return n % 10_000 === 0 ? n / 100_000 : (Math.floor(n / 10_000) + 1) / 10;
}

/** The base score of a `CVSS:3.0/…` or `CVSS:3.1/…` vector, or null when it is not a complete, valid one. */
export function cvss3BaseScore(vector: string): number | null {
  const parts = vector.split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return null;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [key, value] = part.split(':');
    if (!key || value === undefined || metrics.has(key)) return null;
    metrics.set(key, value);
  }
  const get = (key: string) => WEIGHTS[key]?.[metrics.get(key) ?? ''];
  const scope = metrics.get('S');
  const pr = PRIVILEGES[metrics.get('PR') ?? ''];
  const [av, ac, ui, c, i, a] = ['AV', 'AC', 'UI', 'C', 'I', 'A'].map(get);
  if ((scope !== 'U' && scope !== 'C') || !pr || [av, ac, ui, c, i, a].some((w) => w === undefined)) return null;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av! * ac! * pr[scope] * ui!;
  if (impact <= 0) return 0;
  return roundUp(Math.min((scope === 'U' ? 1 : 1.08) * (impact + exploitability), 10));
}

export interface Severity {
  level: SeverityLevel | null;
  /** The first CVSS vector given, and its type (CVSS_V3, CVSS_V2, CVSS_V4). */
  vector: string | null;
  type: string | null;
  /** The base score when the vector is CVSS 3.x; null otherwise. */
  score: number | null;
}

/** An OSV document's severity: the stated level first, the CVSS 3 score second. */
export function severityOf(doc: {
  severity?: { type: string; score: string }[] | null;
  database_specific?: Record<string, unknown>;
}): Severity {
  const first = doc.severity?.find((s) => s.type === 'CVSS_V3') ?? doc.severity?.[0] ?? null;
  const score = first?.type === 'CVSS_V3' ? cvss3BaseScore(first.score) : null;
  const level = levelFromWord(doc.database_specific?.severity) ?? (score === null ? null : levelFromScore(score));
  return { level, vector: first?.score ?? null, type: first?.type ?? null, score };
}
