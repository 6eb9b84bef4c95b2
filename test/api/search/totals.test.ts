/**
 * `total` means the same on every backend whichever way it was found: the exact number of live
 * matches up to 10,000, past that 10,000 with `total_is_estimate`. On PostgreSQL a narrow query is
 * counted in the statement that ranks it, a broader one by a count of its own, and one word the planner
 * expects to match more than 12,500 packages not at all: 13,000 generated packages (every one holds
 * the word `a`) reach that last case.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startRegistry, type TestRegistry } from '../../helpers/registry.ts';
import { call } from '../../helpers/client.ts';
import { generateCorpus } from '../../../bench/search-quality/corpus.ts';
import { loadCorpus } from '../../../bench/search-quality/load.ts';

let r: TestRegistry;

before(async () => {
  // A rank-all limit of 200: words above 100 matches are counted apart, the rest in the ranking statement.
  r = await startRegistry({ REGISTRY_SEARCH_CACHE_MS: '0', REGISTRY_SEARCH_RANK_ALL_LIMIT: '200' });
  await loadCorpus(r.registry.deps.db, generateCorpus(13_000), { now: new Date(), maxVersions: 1 });
});
after(() => r.close());

/** Live packages holding the word, counted straight from the index. */
async function counted(word: string): Promise<number> {
  const { kysely, dialect } = r.registry.deps.db;
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ n: number }>`SELECT count(*) AS n FROM package_search s JOIN packages p ON p.id = s.rowid
        WHERE package_search MATCH ${`"${word}"`} AND p.latest_version IS NOT NULL`.execute(kysely)
      : await sql<{ n: number }>`SELECT count(*) AS n FROM packages p
        WHERE p.search_vector @@ to_tsquery('simple', ${`'${word}'`}) AND p.latest_version IS NOT NULL`.execute(kysely);
  return Number(rows[0]!.n);
}

const search = async (q: string) => {
  const res = await call(`${r.api}/search?q=${encodeURIComponent(q)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { total: number; total_is_estimate?: boolean; results: unknown[] };
};

test('past 10,000 matches total is 10,000 and an estimate, counted or not', async () => {
  assert.ok((await counted('a')) > 12_500);
  // A trailing space: the finished word, not a prefix.
  const body = await search('a ');
  assert.equal(body.total, 10_000);
  assert.equal(body.total_is_estimate, true);
  assert.equal(body.results.length, 20);
});

test('up to 10,000 matches total is exact, for narrow and middling words alike', async () => {
  // Words under five letters: no typo corrections widen them.
  for (const word of ['http', 'json', 'yaml', 'left', 'cli']) {
    const expected = await counted(word);
    assert.ok(expected > 0 && expected <= 10_000, `${word}: ${expected}`);
    const body = await search(`${word} `);
    assert.equal(body.total, expected, word);
    assert.equal(body.total_is_estimate, undefined, word);
  }
});
