/**
 * Counters and histograms for the request path, in the shape prom-client's Registry renders. Its own
 * metrics validate and hash their labels on every call (an object built per observation); these hand
 * out children bound to their label values once, so counting is an addition and observing a loop over
 * a few bucket bounds. Children are capped per family: past the cap, new label values share one
 * `other` child, so no input can grow a family without bound.
 */
import type { Registry } from 'prom-client';

type Labels = Record<string, string | number>;
interface Sample {
  labels: Labels;
  value: number;
  metricName?: string;
}
interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  get(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: 'sum' }>;
}

const MAX_CHILDREN = 1_000;

export interface CounterChild {
  value: number;
  inc(by?: number): void;
}

export interface HistogramChild {
  observe(seconds: number): void;
}

export interface FamilyOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
}

function register(registry: Registry, family: Family): void {
  registry.registerMetric(family as never);
}

function labelsOf(names: readonly string[], values: readonly string[]): Labels {
  const labels: Labels = {};
  names.forEach((name, i) => (labels[name] = values[i] ?? ''));
  return labels;
}

/** Children by their label values, with the cap; `make` builds a new one. */
function childMap<C>(names: readonly string[], make: (labels: Labels) => C) {
  const children = new Map<string, { labels: Labels; child: C }>();
  const get = (values: readonly string[]): C => {
    const key = values.join('\u0000');
    const found = children.get(key);
    if (found) return found.child;
    if (children.size >= MAX_CHILDREN) return get(names.map(() => 'other'));
    const labels = labelsOf(names, values);
    const child = make(labels);
    children.set(key, { labels, child });
    return child;
  };
  return { get, all: () => children.values() };
}

export function counter(registry: Registry, options: FamilyOptions) {
  const names = options.labelNames ?? [];
  const map = childMap<CounterChild>(names, () => ({
    value: 0,
    inc(by = 1) {
      this.value += by;
    },
  }));
  register(registry, {
    name: options.name,
    help: options.help,
    type: 'counter',
    get: async () => ({
      ...options,
      type: 'counter',
      aggregator: 'sum',
      values: [...map.all()].map(({ labels, child }) => ({ labels, value: child.value })),
    }),
  });
  if (names.length === 0) map.get([]);
  return {
    child: (...values: string[]): CounterChild => map.get(values),
    /** Every child's labels and running total (for the fleet reports, which send differences). */
    read: () => [...map.all()].map(({ labels, child }) => ({ labels, value: child.value })),
  };
}

export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export function histogram(registry: Registry, options: FamilyOptions & { buckets?: readonly number[] }) {
  const names = options.labelNames ?? [];
  const bounds = options.buckets ?? LATENCY_BUCKETS;
  interface State extends HistogramChild {
    counts: Float64Array;
    sum: number;
    count: number;
  }
  const map = childMap<State>(names, () => ({
    // One slot per bound plus +Inf; each observation lands in one slot, the export sums them up.
    counts: new Float64Array(bounds.length + 1),
    sum: 0,
    count: 0,
    observe(seconds: number) {
      let i = 0;
      while (i < bounds.length && seconds > bounds[i]!) i++;
      this.counts[i]! += 1;
      this.sum += seconds;
      this.count += 1;
    },
  }));
  const samples = (labels: Labels, state: State): Sample[] => {
    const out: Sample[] = [];
    let acc = 0;
    bounds.forEach((le, i) => {
      acc += state.counts[i]!;
      out.push({ labels: { ...labels, le }, value: acc, metricName: `${options.name}_bucket` });
    });
    out.push({ labels: { ...labels, le: '+Inf' }, value: state.count, metricName: `${options.name}_bucket` });
    out.push({ labels, value: state.sum, metricName: `${options.name}_sum` });
    out.push({ labels, value: state.count, metricName: `${options.name}_count` });
    return out;
  };
  register(registry, {
    name: options.name,
    help: options.help,
    type: 'histogram',
    get: async () => ({
      name: options.name,
      help: options.help,
      type: 'histogram',
      aggregator: 'sum',
      values: [...map.all()].flatMap(({ labels, child }) => samples(labels, child)),
    }),
  });
  if (names.length === 0) map.get([]);
  return {
    child: (...values: string[]): HistogramChild => map.get(values),
    /** Every child's labels and its observations per slot (one per bound, then +Inf), not cumulative. */
    read: () => [...map.all()].map(({ labels, child }) => ({ labels, counts: child.counts })),
  };
}

/** A gauge (or counter) read when scraped, from state kept elsewhere: costs nothing between scrapes. */
export function sampled(
  registry: Registry,
  options: FamilyOptions & { type?: 'gauge' | 'counter'; read: () => Array<{ labels?: Labels; value: number }> },
): void {
  const type = options.type ?? 'gauge';
  register(registry, {
    name: options.name,
    help: options.help,
    type,
    get: async () => ({
      name: options.name,
      help: options.help,
      type,
      aggregator: 'sum',
      values: options.read().map((s) => ({ labels: s.labels ?? {}, value: s.value })),
    }),
  });
}
