/** Looking at the project's dependencies: list, tree, why, audit, outdated. */
import type { Command } from 'commander';
import { action } from '../run.ts';

type TreeOptions = import('../commands/tree.ts').TreeOptions;

export function inspectCommands(pkg: Command): void {
  action(
    pkg
      .command('list')
      .alias('ls')
      .description('list the installed dependencies from synapse.lock (direct ones; --depth N for more)')
      .option('--depth <n>', 'levels below the direct dependencies to show, or "all" (default 0)'),
    async (ctx, options: TreeOptions) => (await import('../commands/tree.ts')).tree(ctx, options, 0),
  );
  action(
    pkg
      .command('tree')
      .description('show the whole dependency tree from synapse.lock; packages shown before are marked (*)')
      .option('--depth <n>', 'levels below the direct dependencies to show (default: all)'),
    async (ctx, options: TreeOptions) => (await import('../commands/tree.ts')).tree(ctx, options, Infinity),
  );
  action(
    pkg.command('why <name>').description('show why NAME is installed: the dependency paths that lead to it'),
    async (ctx, name: string) => (await import('../commands/tree.ts')).why(ctx, name),
  );
  const audit = pkg
    .command('audit')
    .description('list the advisories that affect what synapse.lock holds, with paths, fixed versions and the upgrades that remove them')
    .option('--audit-level <level>', 'exit 1 only for advisories at or above this level: low, moderate, high or critical (default low)');
  action(audit, async (ctx, options: import('../commands/audit.ts').AuditOptions) =>
    (await import('../commands/audit.ts')).audit(ctx, options),
  );
  action(
    audit
      .command('fix')
      .description('apply the upgrades audit proposes: rewrite synapse.lock and install')
      .option('--audit-level <level>', 'exit 1 when advisories at or above this level remain (default low)'),
    async (ctx, options: import('../commands/audit.ts').AuditOptions) => (await import('../commands/audit.ts')).auditFix(ctx, options),
  );
  action(
    pkg
      .command('outdated')
      .description('list dependencies with newer versions: current (locked), wanted (newest the range allows), latest')
      .option('--exit-code', 'exit with 1 when a dependency is outdated (for CI)'),
    async (ctx, options: { exitCode?: boolean }) => (await import('../commands/outdated.ts')).outdated(ctx, options),
  );
}
