import type { Context } from '../context.ts';
import { apiRequest, notLoggedIn } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProjectManifest } from '../project.ts';
import { packDirectory } from '../pack-tarball.ts';
import { describePack } from './pack.ts';

/** Packs and checks the package locally, then uploads it (unless --dry-run). */
export async function publish(ctx: Context, options: { dryRun?: boolean }): Promise<CommandOutput> {
  ctx.progress.step('Packing');
  // The one manifest reader first, so pack refuses exactly what install and add refuse.
  await requireProjectManifest(ctx.cwd);
  const packed = await packDirectory(ctx.cwd);
  const { data, lines } = describePack(packed);
  if (options.dryRun) {
    ctx.progress.stop();
    lines.push(`(dry run: checked, not published to ${ctx.registry})`);
    return output({ ...data, published: false, registry: ctx.registry }, lines.join('\n'));
  }
  if (!(await ctx.token())) {
    throw notLoggedIn(ctx, 'an API token with the publish scope');
  }
  ctx.progress.step(`Publishing ${packed.manifest.name}@${packed.manifest.version} to ${ctx.registry}`);
  const answer = await apiRequest<{ name: string; version: string; integrity: string; size: number; published_at: string }>(ctx, {
    path: '/packages',
    body: packed.bytes,
    contentType: 'application/gzip',
    auth: 'required',
  });
  ctx.progress.stop();
  lines.push(`Published ${answer.name}@${answer.version} to ${ctx.registry}`);
  return output({ ...data, published: true, registry: ctx.registry, published_at: answer.published_at }, lines.join('\n'));
}
