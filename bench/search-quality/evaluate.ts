/** Runs the relevance set against a registry over HTTP: precision@1, MRR and the misses. */
import { QUERIES, type RelevanceQuery } from './queries.ts';

export interface QueryOutcome {
  query: RelevanceQuery;
  /** 1-based rank of the wanted package in the first 20 results, or null. */
  rank: number | null;
  top: string[];
}

export interface Evaluation {
  precisionAt1: number;
  mrr: number;
  outcomes: QueryOutcome[];
}

export async function evaluate(api: string, queries: readonly RelevanceQuery[] = QUERIES): Promise<Evaluation> {
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) {
    const res = await fetch(`${api}/search?${new URLSearchParams({ q: query.q, per_page: '20' })}`);
    const body = (await res.json()) as { results?: { name: string }[] };
    if (res.status !== 200 || !body.results) throw new Error(`${query.q}: ${res.status} ${JSON.stringify(body)}`);
    const top = body.results.map((r) => r.name);
    const index = top.indexOf(query.want);
    outcomes.push({ query, rank: index === -1 ? null : index + 1, top: top.slice(0, 3) });
  }
  const precisionAt1 = outcomes.filter((o) => o.rank === 1).length / outcomes.length;
  const mrr = outcomes.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0) / outcomes.length;
  return { precisionAt1, mrr, outcomes };
}
