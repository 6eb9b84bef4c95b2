import type { Context } from '../context.ts';
import { apiRequest, notLoggedIn } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { requireProject } from '../project.ts';
import { packDirectory } from '../pack-tarball.ts';
import { describePack } from './pack.ts';
import { userError } from '../errors.ts';
import { humanBytes } from '../format.ts';
import { BAR_FROM_BYTES, byteBar } from '../download.ts';
import { isPrerelease, parseDistTag } from '../../../core/src/names.ts';

export interface PublishOptions {
  dryRun?: boolean;
  /** A dist-tag to point at the new version (it does not move latest, unless it is latest). */
  tag?: string;
  /** Publish although the registry's secret scan finds something (the findings are not secrets). */
  allowSecrets?: boolean;
}

/** Packs and checks the package locally, then uploads it (unless --dry-run). */
export async function publish(ctx: Context, options: PublishOptions): Promise<CommandOutput> {
  if (options.tag !== undefined) {
    const tag = parseDistTag(options.tag);
    if (!tag.ok) throw userError('invalid_tag', `--tag: ${tag.message}`);
  }
  ctx.progress.step('Packing');
  // The one manifest reader first, so pack refuses exactly what install and add refuse.
  const { dir } = await requireProject(ctx);
  const packed = await packDirectory(dir);
  const { data, lines } = describePack(packed);
  if (options.dryRun) {
    ctx.progress.step(`Checking with ${ctx.registry}`);
    const { publishProblems } = await import('../publish-checks.ts');
    const { problems, warnings } = await publishProblems(ctx, packed.manifest);
    ctx.progress.stop();
    warnings.forEach((w) => ctx.progress.note(`warning: ${w}`));
    if (problems.length > 0) {
      throw userError(
        'publish_would_fail',
        `${packed.manifest.name}@${packed.manifest.version} would be refused by ${ctx.registry}:\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
        'Fix these, then run synapse pkg publish --dry-run again.',
        { problems },
      );
    }
    lines.push(`(dry run: checked here and with ${ctx.registry}; not published)`);
    return output({ ...data, published: false, registry: ctx.registry, warnings }, lines.join('\n'));
  }
  if (!(await ctx.token())) {
    throw notLoggedIn(ctx, 'an API token with the publish scope');
  }
  const what = `Publishing ${packed.manifest.name}@${packed.manifest.version} (${humanBytes(packed.size)}) to ${ctx.registry}`;
  ctx.progress.step(what);
  const answer = await apiRequest<{ name: string; version: string; integrity: string; size: number; published_at: string }>(ctx, {
    path: publishPath(options),
    body: packed.bytes,
    contentType: 'application/gzip',
    auth: 'required',
    onUploadProgress: packed.size >= BAR_FROM_BYTES ? uploadBar(ctx, what) : undefined,
  });
  ctx.progress.stop();
  lines.push(`Published ${answer.name}@${answer.version} to ${ctx.registry}${options.tag ? ` with the dist-tag ${options.tag}` : ''}`);
  if (options.tag === undefined && isPrerelease(answer.version)) {
    lines.push(
      `${answer.version} is a pre-release: it does not become latest while ${answer.name} has a release; give it a tag (synapse pkg dist-tag add ${answer.name}@${answer.version} beta) so users can install ${answer.name}@beta`,
    );
  }
  return output(
    { ...data, published: true, registry: ctx.registry, published_at: answer.published_at, tag: options.tag ?? null },
    lines.join('\n'),
  );
}

function publishPath(options: PublishOptions): string {
  const query = new URLSearchParams({
    ...(options.tag === undefined ? {} : { tag: options.tag }),
    ...(options.allowSecrets ? { allow_secrets: 'true' } : {}),
  });
  return query.size === 0 ? '/packages' : `/packages?${query}`;
}

/** The upload's byte bar on the progress line (a terminal's spinner; plain lines ignore updates). */
function uploadBar(ctx: Context, what: string): (sent: number, total: number) => void {
  return (sent, total) => ctx.progress.update(`${what} ${byteBar(sent, total)} ${humanBytes(sent)} / ${humanBytes(total)}`);
}
