/** Search quality: the relevance set over a generated corpus of 5,000 packages holds precision@1 ≥ 0.9. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { generateCorpus } from '../../../bench/search-quality/corpus.ts';
import { loadCorpus } from '../../../bench/search-quality/load.ts';
import { evaluate } from '../../../bench/search-quality/evaluate.ts';
import { QUERIES } from '../../../bench/search-quality/queries.ts';

let r: TestRegistry;

before(async () => {
  r = await startRegistry();
  await loadCorpus(r.registry.deps.db, generateCorpus(5_000), { now: new Date(), maxVersions: 1 });
});
after(() => r.close());

test('the relevance set puts the wanted package first at least 90% of the time', async () => {
  assert.ok(QUERIES.length >= 40);
  const result = await evaluate(r.api);
  const misses = result.outcomes
    .filter((o) => o.rank !== 1)
    .map((o) => `${JSON.stringify(o.query.q)} → ${o.top.join(', ')} (wanted ${o.query.want} at ${o.rank ?? '>20'})`);
  assert.ok(result.precisionAt1 >= 0.9, `precision@1 ${result.precisionAt1.toFixed(3)}; misses:\n${misses.join('\n')}`);
  assert.ok(result.mrr >= 0.9, `MRR ${result.mrr.toFixed(3)}`);
});

test('every kind of query is represented and each kind mostly succeeds', async () => {
  const result = await evaluate(r.api);
  for (const kind of ['exact', 'prefix', 'typo', 'keyword', 'description', 'boolean'] as const) {
    const of = result.outcomes.filter((o) => o.query.kind === kind);
    assert.ok(of.length >= 5, kind);
    assert.ok(of.filter((o) => o.rank === 1).length >= of.length - 1, `${kind}: ${JSON.stringify(of.map((o) => [o.query.q, o.top[0]]))}`);
  }
});
