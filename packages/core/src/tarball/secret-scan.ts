/**
 * Credentials in a package's files, found as the bytes stream by: this registry's `syn_` tokens, AWS
 * access keys, private key blocks, and GitHub, Slack, Stripe and npm tokens. Each file is read in the
 * chunks it arrives in (a line longer than the carry is scanned and cut to a tail); native substring
 * searches over each stretch pick the lines to match against the exact patterns, the others are
 * skipped; a file whose first bytes hold a NUL is binary and skipped, as git does. Linear in
 * the bytes, with no backtracking patterns.
 *
 * Why not secretlint's recommended preset: it lints whole file contents (no streaming), and measured
 * at about 70 ms a megabyte of text, against this pass's budget of a tenth of the publish time.
 *
 * Findings carry their byte offset in the file, not a line number: counting line breaks cost as much as
 * the whole search on source code, and a publish with findings is rare, so secret-lines.ts numbers
 * them afterwards by reading the archive again.
 *
 * A match must also look random (enough distinct characters), so placeholders such as
 * `ghp_xxxxxxxx…` and the documentation key `AKIAIOSFODNN7EXAMPLE` are not secrets.
 */

import { candidateLines, mayHoldSecret } from './secret-anchors.ts';

export type SecretKind = 'synapse_token' | 'aws_access_key' | 'private_key' | 'github_token' | 'slack_token' | 'stripe_key' | 'npm_token';

export interface SecretFinding {
  kind: SecretKind;
  /** The path relative to the package root (as archived until the tar reader takes the top folder off). */
  path: string;
  /** The entry path as archived, to find the file again when numbering lines. */
  entry: string;
  /** Where in the file (in bytes) it starts (a private key: its BEGIN line). */
  offset: number;
  /** Only for `synapse_token`: the token itself, to look up and revoke; never stored or shown. */
  token?: string;
}

interface Pattern {
  kind: SecretKind;
  re: RegExp;
  /** Distinct characters the secret part must hold to look random. */
  minDistinct: number;
  /** The capture group holding the part to judge (default: the whole match). */
  group?: number;
}

const PATTERNS: readonly Pattern[] = [
  { kind: 'synapse_token', re: /(?<![0-9A-Za-z_])syn_([0-9A-Za-z]{40})(?![0-9A-Za-z_])/g, minDistinct: 12, group: 1 },
  { kind: 'aws_access_key', re: /(?<![0-9A-Z])(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})(?![0-9A-Z])/g, minDistinct: 6, group: 1 },
  { kind: 'github_token', re: /(?<![0-9A-Za-z_])gh[pousr]_([0-9A-Za-z]{36})(?![0-9A-Za-z_])/g, minDistinct: 12, group: 1 },
  { kind: 'github_token', re: /(?<![0-9A-Za-z_])github_pat_([0-9A-Za-z]{22}_[0-9A-Za-z]{59})(?![0-9A-Za-z_])/g, minDistinct: 12, group: 1 },
  { kind: 'slack_token', re: /(?<![0-9A-Za-z_])xox[abposr]-(?:[0-9]{6,}-){1,3}([0-9A-Za-z]{24,})/g, minDistinct: 10, group: 1 },
  {
    kind: 'slack_token',
    re: /https:\/\/hooks\.slack\.com\/services\/T[0-9A-Z]{8,}\/B[0-9A-Z]{8,}\/([0-9A-Za-z]{24})/g,
    minDistinct: 10,
    group: 1,
  },
  { kind: 'stripe_key', re: /(?<![0-9A-Za-z_])(?:sk|rk)_live_([0-9A-Za-z]{24,99})(?![0-9A-Za-z_])/g, minDistinct: 10, group: 1 },
  { kind: 'npm_token', re: /(?<![0-9A-Za-z_])npm_([0-9A-Za-z]{36})(?![0-9A-Za-z_])/g, minDistinct: 12, group: 1 },
];

/** A line without any of these literals holds none of the patterns (the lines to try are found by secret-anchors.ts). */
const PREFILTER = /syn_|AKIA|ASIA|ABIA|ACCA|-----BEGIN|gh[pousr]_|github_pat_|xox[abposr]-|hooks\.slack|_live_|npm_/;
const KEY_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** A key block's body: base64 lines (a header such as Proc-Type or DEK-Info may come first). */
const KEY_BODY = /^[A-Za-z0-9+/]{40,}={0,2}\s*$/;
const KEY_HEADER = /^(?:[A-Za-z-]+:.*|\s*)$/;
const DOC_EXAMPLES = new Set(['AKIAIOSFODNN7EXAMPLE']);

/** A line is carried between chunks up to this length; past it, what is held is scanned and only a tail kept (secrets are far shorter). */
const CARRY_MAX = 1_024;
const OVERLAP = 256;
const BINARY_SNIFF = 8_000;
/** At most this many findings a file (one is enough to refuse it). */
const PER_FILE = 20;

const distinct = (s: string) => new Set(s).size;

export interface SecretScanner {
  write(chunk: Buffer): void;
  end(): SecretFinding[];
}

export function createSecretScanner(path: string): SecretScanner {
  const findings: SecretFinding[] = [];
  let carry = '';
  let carryAt = 0; // the file offset `carry` starts at
  let chunkAt = 0; // the file offset of the next chunk
  let sniffed = 0;
  let binary = false;
  let keyLine = -1; // the offset of a BEGIN … PRIVATE KEY line waiting for its body

  // A match's offset in the file: a very long line's stretches overlap, and what was found in one is not found twice.
  const seen = new Set<number>();
  const scanPatterns = (text: string, at: number): void => {
    for (const p of PATTERNS) {
      p.re.lastIndex = 0;
      for (let m = p.re.exec(text); m !== null && findings.length < PER_FILE; m = p.re.exec(text)) {
        const offset = at + m.index;
        if (DOC_EXAMPLES.has(m[0]) || distinct(m[p.group ?? 0]!) < p.minDistinct || seen.has(offset)) continue;
        seen.add(offset);
        findings.push({ kind: p.kind, path, entry: path, offset, ...(p.kind === 'synapse_token' ? { token: m[0] } : {}) });
      }
    }
  };

  const scanLine = (text: string, at: number): void => {
    if (keyLine >= 0) {
      if (KEY_BODY.test(text)) findings.push({ kind: 'private_key', path, entry: path, offset: keyLine });
      if (!KEY_HEADER.test(text) || KEY_BODY.test(text)) keyLine = -1;
    }
    if (!PREFILTER.test(text)) return;
    if (KEY_BEGIN.test(text)) keyLine = at;
    scanPatterns(text, at);
  };

  /** What follows the last line break: kept whole while short, else scanned now and cut to a tail. */
  const keep = (rest: string, at: number): string => {
    carryAt = at;
    if (rest.length <= CARRY_MAX) return rest;
    if (mayHoldSecret(rest)) scanPatterns(rest, at);
    carryAt = at + rest.length - OVERLAP;
    return rest.slice(-OVERLAP);
  };

  /** Lines of text (starting at file offset `at`, ending with a line break): only those that may hold a secret are cut out and matched. */
  const scanLines = (text: string, at: number): void => {
    const targets = candidateLines(text);
    if (keyLine >= 0) targets.unshift(0);
    let done = -1;
    let next = 0;
    while (next < targets.length && findings.length < PER_FILE) {
      const start = targets[next++]!;
      if (start <= done) continue;
      const end = text.indexOf('\n', start);
      scanLine(text.slice(start, end), at + start);
      done = start;
      // A BEGIN … PRIVATE KEY line (and its headers) needs the line after it looked at too.
      if (keyLine >= 0 && end + 1 < text.length && targets[next] !== end + 1) targets.splice(next, 0, end + 1);
    }
  };

  return {
    write(chunk) {
      if (binary || findings.length >= PER_FILE) return;
      if (sniffed < BINARY_SNIFF) {
        const head = chunk.subarray(0, BINARY_SNIFF - sniffed);
        sniffed += head.length;
        if (head.includes(0)) {
          binary = true;
          return;
        }
      }
      // latin1 maps bytes 1:1, and every pattern is ASCII: no decoding cost, no split characters.
      const text = chunk.toString('latin1');
      const at = chunkAt;
      chunkAt += text.length;
      const firstBreak = text.indexOf('\n');
      if (firstBreak === -1) {
        carry = keep(carry + text, carryAt);
        return;
      }
      // The carried line is joined to its end alone: joining the whole chunk would copy it once more.
      scanLines(carry + text.slice(0, firstBreak + 1), carryAt);
      const lastBreak = text.lastIndexOf('\n');
      if (lastBreak > firstBreak) scanLines(text.slice(firstBreak + 1, lastBreak + 1), at + firstBreak + 1);
      carry = keep(text.slice(lastBreak + 1), at + lastBreak + 1);
    },
    end() {
      if (!binary && carry !== '' && findings.length < PER_FILE) scanLines(`${carry}\n`, carryAt);
      carry = '';
      return findings;
    },
  };
}
