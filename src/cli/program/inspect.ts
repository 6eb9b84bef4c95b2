/** Looking at the project's dependencies: list, tree, why, outdated. */
import type { Command } from 'commander';
import { action } from '../run.ts';

type TreeOptions = import('../commands/tree.ts').TreeOptions;

export function inspectCommands(pkg: Command): void {
  action(pkg.command('list').alias('ls').description('list the installed dependencies from synapse.lock (direct ones; --depth N for more)')
    .option('--depth <n>', 'levels below the direct dependencies to show, or "all" (default 0)'),
    async (ctx, options: TreeOptions) => (await import('../commands/tree.ts')).tree(ctx, options, 0));
  action(pkg.command('tree').description('show the whole dependency tree from synapse.lock; packages shown before are marked (*)')
    .option('--depth <n>', 'levels below the direct dependencies to show (default: all)'),
    async (ctx, options: TreeOptions) => (await import('../commands/tree.ts')).tree(ctx, options, Infinity));
  action(pkg.command('why <name>').description('show why NAME is installed: the dependency paths that lead to it'),
    async (ctx, name: string) => (await import('../commands/tree.ts')).why(ctx, name));
  action(pkg.command('outdated').description('list dependencies with newer versions: current (locked), wanted (newest the range allows), latest')
    .option('--exit-code', 'exit with 1 when a dependency is outdated (for CI)'),
    async (ctx, options: { exitCode?: boolean }) => (await import('../commands/outdated.ts')).outdated(ctx, options));
}
