/**
 * An OSV document in, a parsed advisory or every reason it is refused out. First the official
 * schema, then what this registry needs of it: an id that fits a URL, every affected package in
 * this ecosystem under a valid name, SemVer versions in every event, and bounded sizes.
 */
import type { FieldError } from '../../../core/src/errors.ts';
import { canonicalName, parsePackageName, parseVersion } from '../../../core/src/names.ts';
import type { AffectedSpec, OsvEvent, OsvRange } from './affects.ts';
import { ECOSYSTEM, type AffectedPackage, type OsvAffected, type OsvDocument, type ParsedAdvisory } from './advisory.ts';
import { osvSchemaErrors } from './osv-validate.ts';
import { severityOf } from './severity.ts';

export const LIMITS = {
  documentBytes: 256 * 1024,
  affected: 100,
  rangesPerEntry: 50,
  eventsPerRange: 100,
  versionsPerEntry: 10_000,
  aliases: 50,
  summaryChars: 1_000,
};

/** OSV ids read `<DATABASE>-<ENTRY>` (GHSA-…, RUSTSEC-…, SYN-2025-0001); they go in URL paths. */
export const ADVISORY_ID = /^[A-Za-z][A-Za-z0-9]{0,31}-[A-Za-z0-9._-]{1,95}$/;

export type ParseResult = { ok: true; value: ParsedAdvisory } | { ok: false; errors: FieldError[] };

const fieldError = (field: string, message: string): FieldError => ({ field, message });

function eventErrors(range: OsvRange, at: string): FieldError[] {
  const errors: FieldError[] = [];
  if (range.events.length > LIMITS.eventsPerRange)
    errors.push(fieldError(`${at}.events`, `at most ${LIMITS.eventsPerRange} events a range`));
  range.events.forEach((event: OsvEvent, i) => {
    const [kind, value] = Object.entries(event)[0] as [string, string];
    if ((kind === 'introduced' && value === '0') || (kind === 'limit' && value === '*')) return;
    const parsed = parseVersion(value);
    if (!parsed.ok) errors.push(fieldError(`${at}.events.${i}.${kind}`, `${parsed.message} (or "0" for introduced)`));
  });
  return errors;
}

function affectedErrors(entry: OsvAffected, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const pkg = entry.package;
  if (!pkg) return [fieldError(`${at}.package`, 'each affected entry names its package')];
  if (pkg.ecosystem !== ECOSYSTEM)
    errors.push(fieldError(`${at}.package.ecosystem`, `is "${pkg.ecosystem}"; this registry holds "${ECOSYSTEM}" packages`));
  const name = parsePackageName(pkg.name);
  if (!name.ok) errors.push(fieldError(`${at}.package.name`, name.message));
  const ranges = entry.ranges ?? [];
  if (ranges.length > LIMITS.rangesPerEntry) errors.push(fieldError(`${at}.ranges`, `at most ${LIMITS.rangesPerEntry} ranges an entry`));
  ranges.forEach((range, i) => {
    if (range.type !== 'GIT') errors.push(...eventErrors(range, `${at}.ranges.${i}`));
  });
  const versions = entry.versions ?? [];
  if (versions.length > LIMITS.versionsPerEntry)
    errors.push(fieldError(`${at}.versions`, `at most ${LIMITS.versionsPerEntry} versions an entry`));
  const badVersion = versions.findIndex((v) => !parseVersion(v).ok);
  if (badVersion >= 0) errors.push(fieldError(`${at}.versions.${badVersion}`, `"${versions[badVersion]}" is not a SemVer 2.0.0 version`));
  if (!ranges.some((r) => r.type !== 'GIT') && versions.length === 0) {
    errors.push(fieldError(at, 'names no version: give a SEMVER range or a list of versions'));
  }
  return errors;
}

function documentErrors(doc: OsvDocument): FieldError[] {
  const errors: FieldError[] = [];
  if (!ADVISORY_ID.test(doc.id))
    errors.push(
      fieldError(
        'id',
        'an id reads DATABASE-ENTRY (letters and digits, then "-", then letters, digits, ".", "_" or "-"), at most 128 characters',
      ),
    );
  const affected = doc.affected ?? [];
  if (affected.length === 0) errors.push(fieldError('affected', 'an advisory names at least one affected package'));
  if (affected.length > LIMITS.affected) errors.push(fieldError('affected', `at most ${LIMITS.affected} affected entries`));
  else affected.forEach((entry, i) => errors.push(...affectedErrors(entry, `affected.${i}`)));
  if ((doc.aliases ?? []).length > LIMITS.aliases) errors.push(fieldError('aliases', `at most ${LIMITS.aliases} aliases`));
  if ([...(doc.summary ?? '')].length > LIMITS.summaryChars)
    errors.push(fieldError('summary', `at most ${LIMITS.summaryChars} characters`));
  return errors;
}

/** The entries of one package merged (an advisory may list a package twice, once per branch). */
function packagesOf(doc: OsvDocument): AffectedPackage[] {
  const byName = new Map<string, AffectedPackage>();
  for (const entry of doc.affected ?? []) {
    const canonical = canonicalName(entry.package!.name);
    const spec: AffectedSpec = { ranges: entry.ranges ?? [], versions: entry.versions ?? [] };
    const seen = byName.get(canonical);
    if (seen) seen.spec = { ranges: [...seen.spec.ranges, ...spec.ranges], versions: [...seen.spec.versions, ...spec.versions] };
    else byName.set(canonical, { name: entry.package!.name, canonical, spec });
  }
  return [...byName.values()];
}

/** Parses an OSV document; every refusal is listed with the field it is about. */
export function parseAdvisory(input: unknown): ParseResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [fieldError('(the document)', 'an OSV advisory is a JSON object')] };
  }
  if (JSON.stringify(input).length > LIMITS.documentBytes) {
    return { ok: false, errors: [fieldError('(the document)', `an advisory has at most ${LIMITS.documentBytes} bytes of JSON`)] };
  }
  const schemaErrors = osvSchemaErrors(input);
  if (schemaErrors.length > 0) {
    return {
      ok: false,
      errors: schemaErrors.map((e) =>
        fieldError(e.slice(0, e.indexOf(': ')), `does not follow the OSV schema: ${e.slice(e.indexOf(': ') + 2)}`),
      ),
    };
  }
  const doc = input as OsvDocument;
  const errors = documentErrors(doc);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      id: doc.id,
      document: doc,
      summary: doc.summary ?? '',
      severity: severityOf(doc),
      published: doc.published ?? doc.modified,
      modified: doc.modified,
      withdrawn: doc.withdrawn ?? null,
      packages: packagesOf(doc),
    },
  };
}
