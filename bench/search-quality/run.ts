/**
 * Search quality: loads the generated corpus (10,000 packages by default) into a registry on SQLite
 * and on PostgreSQL, runs the relevance set over HTTP and prints precision@1 and MRR per backend,
 * per query kind, and every miss.
 *
 *   node --import tsx bench/search-quality/run.ts [packages] [sqlite,postgres]
 */
import { startRegistry } from '../../test/helpers/registry.ts';
import { freshPostgres } from '../../test/helpers/backends.ts';
import { generateCorpus } from './corpus.ts';
import { evaluate } from './evaluate.ts';
import { loadCorpus } from './load.ts';
import { QUERIES } from './queries.ts';

const size = Number(process.argv[2] ?? 10_000);
const backends = (process.argv[3] ?? 'sqlite,postgres').split(',');
const corpus = generateCorpus(size);

for (const backend of backends) {
  const pg = backend === 'postgres' ? await freshPostgres() : null;
  const r = await startRegistry(pg ? { REGISTRY_DB_URL: pg.url } : {});
  try {
    const started = performance.now();
    await loadCorpus(r.registry.deps.db, corpus, { now: new Date(), maxVersions: 3 });
    const loadMs = performance.now() - started;
    const result = await evaluate(r.api);
    console.log(`\n${backend}: ${corpus.length} packages (loaded in ${(loadMs / 1000).toFixed(1)} s), ${QUERIES.length} queries`);
    console.log(`  precision@1 ${result.precisionAt1.toFixed(3)}   MRR ${result.mrr.toFixed(3)}`);
    const kinds = [...new Set(QUERIES.map((q) => q.kind))];
    for (const kind of kinds) {
      const of = result.outcomes.filter((o) => o.query.kind === kind);
      const p1 = of.filter((o) => o.rank === 1).length;
      console.log(`  ${kind.padEnd(12)} ${p1}/${of.length} first`);
    }
    for (const o of result.outcomes.filter((x) => x.rank !== 1)) {
      console.log(`  miss: ${JSON.stringify(o.query.q)} wants ${o.query.want}: rank ${o.rank ?? '>20'}, top ${o.top.join(', ')}`);
    }
  } finally {
    await r.close();
    await pg?.drop();
  }
}
