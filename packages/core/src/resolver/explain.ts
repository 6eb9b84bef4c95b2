/**
 * Turns the failure's derivation into English, following PubGrub's reporting scheme: a chain
 * of "Because … and …, …" sentences, with a line number only on a fact the proof uses twice.
 */
import { ROOT, type Incompatibility } from './incompatibility.ts';
import type { Term } from './term.ts';
import type { Ver } from './version.ts';
import { difference, exactly, isAny, isSubset, showSet, singleVersion, union, type VersionSet } from './version-set.ts';

export interface ExplainContext {
  /** How root is called in messages ("root" unless the manifest names it). */
  rootName: string;
  /** Yanked versions per package: messages fill or cut them out, whichever reads shorter. */
  yanked?: (name: string) => readonly Ver[];
}

const MAX_LISTED = 8;
/**
 * The explanation grows with the derivation, which a hostile or huge registry can make long: past
 * these, the middle lines, deeper steps and long lines are cut, each with a note of what was left out.
 */
export const EXPLAIN_MAX_LINES = 60;
export const EXPLAIN_MAX_DEPTH = 200;
export const EXPLAIN_MAX_LINE_CHARS = 1_000;

/** `*` holds every release (prereleases aside): message-wise, that is "any version". */
const isAllReleases = (set: VersionSet) => set.rel.length === 1 && set.rel[0]!.lo === null && set.rel[0]!.hi === null;

function listVersions(versions: readonly string[]): string {
  const newest = [...versions].reverse();
  if (newest.length <= MAX_LISTED) return newest.join(', ');
  return `${newest.slice(0, MAX_LISTED).join(', ')} and ${newest.length - MAX_LISTED} older`;
}

function intervals(set: VersionSet): number {
  return set.rel.length + set.pre.length;
}

/** Explains a failed resolution; `failure` is the final learned incompatibility. */
export function explain(failure: Incompatibility, context: ExplainContext): string {
  const derivations = new Map<Incompatibility, number>();
  const lineNumbers = new Map<Incompatibility, number>();
  const lines: [string, number | null][] = [];

  // With a stack of its own, not recursion: a derivation can be deeper than the call stack.
  const countDerivations = (start: Incompatibility): void => {
    const stack = [start];
    for (let inc = stack.pop(); inc !== undefined; inc = stack.pop()) {
      const seen = derivations.get(inc);
      derivations.set(inc, (seen ?? 0) + 1);
      if (seen === undefined && inc.cause.kind === 'conflict') stack.push(inc.cause.other, inc.cause.conflict);
    }
  };

  const rangeOf = (name: string, set: VersionSet): string => {
    const yanked = context.yanked?.(name) ?? [];
    if (yanked.length === 0 || singleVersion(set) !== null) return showSet(set);
    const ys = yanked.map(exactly).reduce(union);
    // Filling yanked holes gives back the range as written (`^2.0.0`, not `^2.0.1`).
    const filled = union(set, ys);
    const cut = difference(set, ys);
    let best = intervals(filled) <= intervals(set) ? filled : set;
    if (intervals(cut) > 0 && intervals(cut) < intervals(best)) best = cut;
    return showSet(best);
  };

  /** "foo ^1.0.0", or "every version of foo" where that reads better. */
  const terse = ({ name, term }: { name: string; term: Term }, every = false): string => {
    if (name === ROOT) return context.rootName;
    if (isAny(term.set) || isAllReleases(term.set)) return every ? `every version of ${name}` : name;
    return `${name} ${rangeOf(name, term.set)}`;
  };

  const isDependency = (inc: Incompatibility) => inc.cause.kind === 'dependency';
  const positives = (inc: Incompatibility) => inc.terms.filter((t) => t.term.positive);
  const negatives = (inc: Incompatibility) => inc.terms.filter((t) => !t.term.positive);
  const line = (n: number | undefined) => (n === undefined ? '' : ` (${n})`);

  function describe(inc: Incompatibility): string {
    const { cause, terms } = inc;
    switch (cause.kind) {
      case 'root':
        return `${context.rootName} is required`;
      case 'dependency': {
        const depender = terms.find((t) => t.term.positive && t.name !== cause.target) ?? terms[0]!;
        const target = isAllReleases(cause.range)
          ? `any version of ${cause.target}`
          : terse({ name: cause.target, term: { positive: true, set: cause.range } });
        return `${terse(depender, true)} depends on ${target}`;
      }
      case 'unknown-package': {
        const name = terms[0]!.name;
        const hint = cause.similar.length > 0 ? ` (did you mean ${cause.similar.join(' or ')}?)` : '';
        return `no package named ${name} exists${hint}`;
      }
      case 'no-versions': {
        const t = terms[0]!;
        const known = cause.versions.length === 0 ? `${t.name} has no usable versions` : `${t.name} has ${listVersions(cause.versions)}`;
        const yanked = cause.yanked.length > 0 ? `; yanked: ${listVersions(cause.yanked)}` : '';
        return `no version of ${t.name} matches ${rangeOf(t.name, t.term.set)} (${known}${yanked})`;
      }
      case 'conflict':
        break;
    }
    if (terms.length === 0 || (terms.length === 1 && terms[0]!.name === ROOT)) return 'version solving failed';
    if (terms.length === 1) {
      const t = terms[0]!;
      return t.term.positive ? `${terse(t, true)} is forbidden` : `${terse(t)} is required`;
    }
    const ps = positives(inc);
    const ns = negatives(inc);
    if (terms.length === 2) {
      if (ps.length === 1) return `${terse(ps[0]!, true)} requires ${terse(ns[0]!)}`;
      if (ps.length === 2) return `${terse(ps[0]!)} is incompatible with ${terse(ps[1]!)}`;
      return `either ${terse(ns[0]!)} or ${terse(ns[1]!)}`;
    }
    if (ns.length === 0) return `one of ${ps.map((t) => terse(t)).join(' or ')} must be false`;
    if (ps.length === 0) return `one of ${ns.map((t) => terse(t)).join(' or ')} must be true`;
    return `if ${ps.map((t) => terse(t)).join(' and ')} then ${ns.map((t) => terse(t)).join(' or ')}`;
  }

  const verb = (inc: Incompatibility) => (isDependency(inc) ? 'depends on' : 'requires');

  /** "root depends on both foo ^1.0.0 and bar ^2.0.0". */
  function requiresBoth(a: Incompatibility, b: Incompatibility, la?: number, lb?: number): string | null {
    if (a.terms.length === 1 || b.terms.length === 1) return null;
    const pa = positives(a);
    const pb = positives(b);
    if (pa.length !== 1 || pb.length !== 1 || pa[0]!.name !== pb[0]!.name) return null;
    if (!isSubset(pa[0]!.term.set, pb[0]!.term.set) || !isSubset(pb[0]!.term.set, pa[0]!.term.set)) return null;
    const v = isDependency(a) && isDependency(b) ? 'depends on' : 'requires';
    const list = (inc: Incompatibility) =>
      negatives(inc)
        .map((t) => terse(t))
        .join(' or ');
    return `${terse(pa[0]!, true)} ${v} both ${list(a)}${line(la)} and ${list(b)}${line(lb)}`;
  }

  /** "foo depends on bar ^2.0.0 which depends on baz ^3.0.0" and "… which is forbidden". */
  function requiresThrough(a: Incompatibility, b: Incompatibility, la?: number, lb?: number): string | null {
    const chain = (prior: Incompatibility, latter: Incompatibility, lp?: number, ll?: number): string | null => {
      const pp = positives(prior);
      const pn = negatives(prior);
      if (prior.terms.length !== 2 || pp.length !== 1 || pn.length !== 1) return null;
      const lp2 = positives(latter);
      const latterPositive = lp2.find((t) => t.name === pn[0]!.name);
      if (!latterPositive || !isSubset(pn[0]!.term.set, latterPositive.term.set)) return null;
      const rest = latter.terms.filter((t) => t !== latterPositive);
      const head = `${terse(pp[0]!, true)} ${verb(prior)} ${terse(pn[0]!)}${line(lp)}`;
      // A missing package or version keeps its own sentence: it lists what does exist.
      if (rest.length === 0) return latter.cause.kind === 'conflict' ? `${head} which is forbidden${line(ll)}` : null;
      if (rest.length === 1 && !rest[0]!.term.positive) return `${head} which ${verb(latter)} ${terse(rest[0]!)}${line(ll)}`;
      return null;
    };
    return chain(a, b, la, lb) ?? chain(b, a, lb, la);
  }

  function and(a: Incompatibility, b: Incompatibility, la?: number, lb?: number): string {
    // "X depends on Y and Y does not exist" reads in cause-then-effect order.
    if (!isDependency(a) && isDependency(b) && a.cause.kind !== 'conflict') return and(b, a, lb, la);
    return requiresBoth(a, b, la, lb) ?? requiresThrough(a, b, la, lb) ?? `${describe(a)}${line(la)} and ${describe(b)}${line(lb)}`;
  }

  const derived = (inc: Incompatibility) => inc.cause.kind === 'conflict';
  const causes = (inc: Incompatibility) => {
    if (inc.cause.kind !== 'conflict') throw new Error('internal: not derived');
    return inc.cause;
  };
  const singleLine = (inc: Incompatibility) => {
    const c = causes(inc);
    return !derived(c.conflict) && !derived(c.other);
  };
  const collapsible = (inc: Incompatibility) => {
    if ((derivations.get(inc) ?? 0) > 1) return false;
    const c = causes(inc);
    if (derived(c.conflict) === derived(c.other)) return false;
    const inner = derived(c.conflict) ? c.conflict : c.other;
    return !lineNumbers.has(inner);
  };

  function write(inc: Incompatibility, message: string, numbered: boolean): void {
    if (numbered) {
      const n = lineNumbers.size + 1;
      lineNumbers.set(inc, n);
      lines.push([message, n]);
    } else lines.push([message, null]);
  }

  let depth = 0;
  function visit(inc: Incompatibility, conclusion = false): void {
    depth++;
    try {
      visitAt(inc, conclusion);
    } finally {
      depth--;
    }
  }

  function visitAt(inc: Incompatibility, conclusion: boolean): void {
    const numbered = conclusion || (derivations.get(inc) ?? 0) > 1;
    const conjunction = conclusion || inc === failure ? 'So,' : 'And';
    const text = describe(inc);
    if (depth > EXPLAIN_MAX_DEPTH) {
      write(inc, `Because of a longer chain of requirements (… ${EXPLAIN_MAX_DEPTH}+ steps deep, not shown), ${text}.`, numbered);
      return;
    }
    const { conflict, other } = causes(inc);
    if (derived(conflict) && derived(other)) {
      const l1 = lineNumbers.get(conflict);
      const l2 = lineNumbers.get(other);
      if (l1 !== undefined && l2 !== undefined) {
        write(inc, `Because ${and(conflict, other, l1, l2)}, ${text}.`, numbered);
      } else if (l1 !== undefined || l2 !== undefined) {
        const [withLine, withoutLine, n] = l1 !== undefined ? [conflict, other, l1] : [other, conflict, l2!];
        visit(withoutLine);
        write(inc, `${conjunction} because ${describe(withLine)} (${n}), ${text}.`, numbered);
      } else if (singleLine(conflict) || singleLine(other)) {
        const [first, second] = singleLine(other) ? [conflict, other] : [other, conflict];
        visit(first);
        visit(second);
        write(inc, `Thus, ${text}.`, numbered);
      } else {
        visit(conflict, true);
        lines.push(['', null]);
        visit(other);
        write(inc, `${conjunction} because ${describe(conflict)} (${lineNumbers.get(conflict)}), ${text}.`, numbered);
      }
    } else if (derived(conflict) || derived(other)) {
      const [d, ext] = derived(conflict) ? [conflict, other] : [other, conflict];
      const n = lineNumbers.get(d);
      if (n !== undefined) {
        write(inc, `Because ${and(ext, d, undefined, n)}, ${text}.`, numbered);
      } else if (collapsible(d)) {
        const c = causes(d);
        const [innerDerived, innerExt] = derived(c.conflict) ? [c.conflict, c.other] : [c.other, c.conflict];
        visit(innerDerived);
        write(inc, `${conjunction} because ${and(innerExt, ext)}, ${text}.`, numbered);
      } else {
        visit(d);
        write(inc, `${conjunction} because ${describe(ext)}, ${text}.`, numbered);
      }
    } else {
      write(inc, `Because ${and(conflict, other)}, ${text}.`, numbered);
    }
  }

  if (failure.cause.kind !== 'conflict') return `Because ${describe(failure)}, version solving failed.`;
  countDerivations(failure);
  visit(failure);
  const width = lineNumbers.size === 0 ? 0 : `(${lineNumbers.size}) `.length;
  const rendered = lines.map(([text, n]) =>
    text === '' ? '' : width === 0 ? text : `${n === null ? '' : `(${n}) `}`.padEnd(width) + text,
  );
  return capLines(rendered).map(capLine).join('\n');
}

/** The first and last lines (the causes and the conclusion), with a note of how many were left out. */
function capLines(lines: string[]): string[] {
  if (lines.length <= EXPLAIN_MAX_LINES) return lines;
  const head = Math.floor(EXPLAIN_MAX_LINES / 2);
  const tail = EXPLAIN_MAX_LINES - head - 1;
  const left = lines.length - head - tail;
  return [...lines.slice(0, head), `… ${left} more lines`, ...lines.slice(lines.length - tail)];
}

function capLine(line: string): string {
  if (line.length <= EXPLAIN_MAX_LINE_CHARS) return line;
  return `${line.slice(0, EXPLAIN_MAX_LINE_CHARS)}… ${line.length - EXPLAIN_MAX_LINE_CHARS} more characters`;
}
