/** Versions' READMEs (migration 0017): written once at publish, read by the web pages. */
import type { Readme } from '../../../core/src/tarball/index.ts';
import type { Db } from './users.ts';

export interface StoredReadme extends Readme {
  /** Sanitised HTML, rendered at publish. */
  html: string;
}

export async function insertReadme(db: Db, versionId: number, readme: StoredReadme): Promise<void> {
  await db
    .insertInto('version_readmes')
    .values({ version_id: versionId, body: readme.text, html: readme.html, size: readme.size, truncated: readme.truncated ? 1 : 0 })
    .execute();
}

/** The README's HTML and sizes (not its Markdown, which the pages do not show). */
export async function findReadmeHtml(db: Db, versionId: number): Promise<{ html: string; size: number; truncated: boolean } | undefined> {
  const row = await db
    .selectFrom('version_readmes')
    .select(['html', 'size', 'truncated'])
    .where('version_id', '=', versionId)
    .executeTakeFirst();
  return row && { html: row.html, size: Number(row.size), truncated: row.truncated === 1 };
}
