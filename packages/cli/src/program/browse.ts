/** Looking at the registry: search, info, versions. */
import type { Command } from 'commander';
import { action } from '../run.ts';

export function browseCommands(pkg: Command): void {
  action(
    pkg
      .command('search <query...>')
      .description('search packages (AND by default; OR, NOT, "phrases", name:, keyword:)')
      .option('--page <n>', 'page number')
      .option('--per-page <n>', 'results per page'),
    async (ctx, words: string[], options: { page?: string; perPage?: string }) =>
      (await import('../commands/search.ts')).search(ctx, words.join(' '), options),
  );

  action(pkg.command('info <spec>').description('show a package (NAME) or one version (NAME@VERSION)'), async (ctx, spec: string) =>
    (await import('../commands/info.ts')).info(ctx, spec),
  );

  action(pkg.command('versions <name>').description('list the versions of a package, newest first'), async (ctx, name: string) =>
    (await import('../commands/versions.ts')).versions(ctx, name),
  );
}
