import type { Context } from '../context.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { withSuggestion } from '../suggest.ts';

/** Lists a package's versions, newest first. */
export async function versions(ctx: Context, name: string): Promise<CommandOutput> {
  const answer = await withSuggestion(ctx, name, () =>
    apiRequest<{ name: string; versions: { version: string; published_at: string; downloads?: number }[] }>(ctx, {
      path: `/packages/${seg(name)}/versions`,
    }),
  );
  const lines = answer.versions.map((v) => `${v.version.padEnd(16)} ${v.published_at}`);
  return output(answer, lines.length ? lines.join('\n') : `${name} has no versions`);
}
