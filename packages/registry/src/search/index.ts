/** Package search: the query language and its compilers to SQLite FTS5 and PostgreSQL tsquery. */
export * from './query.ts';
export * from './sqlite-fts5.ts';
export * from './postgres-tsquery.ts';
export * from './typos.ts';
export * from './ranking.ts';
