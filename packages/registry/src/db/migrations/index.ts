import type { Migration, MigrationProvider } from 'kysely';
import { initialSchema } from './0001-initial.ts';
import { searchSchema } from './0002-search.ts';
import { searchRankingSchema } from './0003-search-ranking.ts';
import { searchCandidatesSchema } from './0004-search-candidates.ts';
import { downloadLogAppendOnlySchema } from './0005-download-log-append-only.ts';
import { versionMetadataSchema } from './0006-version-metadata.ts';
import { sessionsSchema } from './0007-sessions.ts';
import { packagesByDownloadsSchema } from './0008-packages-by-downloads.ts';
import { lifecycleSchema } from './0009-lifecycle.ts';
import { versionDependenciesSchema } from './0010-version-dependencies.ts';
import { auditByActionSchema } from './0014-audit-by-action.ts';
import { webhooksSchema } from './0016-webhooks.ts';
import { jobsSchema } from './0015-jobs.ts';
import { versionReadmesSchema } from './0017-version-readmes.ts';
import { tokenNamesSchema } from './0018-token-names.ts';
import { advisoriesSchema } from './0020-advisories.ts';
import { fleetReportsSchema } from './0019-fleet-reports.ts';
import { changesSchema } from './0023-changes.ts';
import { upstreamCacheSchema } from './0024-upstream-cache.ts';
import { mirrorStateSchema } from './0025-mirror-state.ts';
import { advisoryAliasesSchema } from './0026-advisory-aliases.ts';
import { searchGinDirectSchema } from './0027-search-gin-direct.ts';

/** Versioned migrations, applied in name order; never edit one that has shipped, add the next. */
export function migrationProvider(dialect: 'sqlite' | 'postgres'): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-initial': initialSchema(dialect),
    '0002-search': searchSchema(dialect),
    '0003-search-ranking': searchRankingSchema(dialect),
    '0004-search-candidates': searchCandidatesSchema(dialect),
    '0005-download-log-append-only': downloadLogAppendOnlySchema(),
    '0006-version-metadata': versionMetadataSchema(),
    '0007-sessions': sessionsSchema(),
    '0008-packages-by-downloads': packagesByDownloadsSchema(),
    '0009-lifecycle': lifecycleSchema(dialect),
    '0010-version-dependencies': versionDependenciesSchema(),
    '0014-audit-by-action': auditByActionSchema(),
    '0016-webhooks': webhooksSchema(dialect),
    '0015-jobs': jobsSchema(dialect),
    '0017-version-readmes': versionReadmesSchema(),
    '0018-token-names': tokenNamesSchema(),
    '0020-advisories': advisoriesSchema(dialect),
    '0019-fleet-reports': fleetReportsSchema(dialect),
    '0023-changes': changesSchema(dialect),
    '0024-upstream-cache': upstreamCacheSchema(),
    '0025-mirror-state': mirrorStateSchema(),
    '0026-advisory-aliases': advisoryAliasesSchema(),
    '0027-search-gin-direct': searchGinDirectSchema(dialect),
  };
  return { getMigrations: async () => migrations };
}
