/** After publishing: dist-tag, deprecate, yank, unpublish, audit-log. */
import type { Command } from 'commander';
import { action } from '../run.ts';

export function lifecycleCommands(pkg: Command): void {
  const distTag = pkg.command('dist-tag').description('list and change dist-tags (latest, beta, next, ...): names that point at versions');
  action(distTag.command('ls <name>').alias('list').description("list a package's dist-tags"), async (ctx, name: string) =>
    (await import('../commands/dist-tag.ts')).distTagList(ctx, name),
  );
  action(
    distTag.command('add <spec> <tag>').description('point TAG at NAME@VERSION (owners; a token needs the dist-tags scope)'),
    async (ctx, spec: string, tag: string) => (await import('../commands/dist-tag.ts')).distTagAdd(ctx, spec, tag),
  );
  action(
    distTag.command('rm <name> <tag>').alias('remove').description('remove TAG from NAME (latest cannot be removed; point it elsewhere)'),
    async (ctx, name: string, tag: string) => (await import('../commands/dist-tag.ts')).distTagRemove(ctx, name, tag),
  );

  action(
    pkg
      .command('deprecate <spec>')
      .description(
        'deprecate a package (NAME) or one version (NAME@VERSION): installs warn, naming the replacement; needs a token with the "yank" scope',
      )
      .requiredOption('--reason <reason>', 'why: deprecated, renamed, security, invalid or other')
      .option('--message <text>', 'what users should know or do (one line, at most 500 characters)')
      .option('--replacement <name>', 'another existing package to use instead')
      .addHelpText(
        'after',
        '\nExamples:\n  synapse pkg deprecate old-http --reason renamed --replacement http\n  synapse pkg deprecate http@1.0.0 --reason security --message "CVE-2026-0001: upgrade to 1.0.1"',
      ),
    async (ctx, spec: string, options: import('../commands/deprecate.ts').DeprecateOptions) =>
      (await import('../commands/deprecate.ts')).deprecate(ctx, spec, options),
  );
  action(
    pkg.command('undeprecate <spec>').description('undo the deprecation of a package (NAME) or one version (NAME@VERSION)'),
    async (ctx, spec: string) => (await import('../commands/deprecate.ts')).undeprecate(ctx, spec),
  );
  action(
    pkg
      .command('yank <spec>')
      .description('yank NAME@VERSION: new installs skip it, it still downloads and lockfiles keep it')
      .option('--reason <text>', 'why, shown to users (printable, at most 500 characters)'),
    async (ctx, spec: string, options: import('../commands/yank.ts').YankOptions) =>
      (await import('../commands/yank.ts')).yank(ctx, spec, options),
  );
  action(
    pkg.command('unyank <spec>').description('undo a yank of NAME@VERSION: new installs may pick it again'),
    async (ctx, spec: string) => (await import('../commands/yank.ts')).unyank(ctx, spec),
  );

  action(
    pkg
      .command('audit-log <name>')
      .description("show a package's audit log, newest first: who published, deleted, yanked, tagged … (owners and admins)")
      .option('--page <n>', 'page number (default 1)')
      .option('--per-page <n>', 'entries per page, 1 to 100 (default 20)'),
    async (ctx, name: string, options: import('../commands/audit-log.ts').AuditLogOptions) =>
      (await import('../commands/audit-log.ts')).auditLog(ctx, name, options),
  );

  action(
    pkg
      .command('unpublish <spec>')
      .description(
        "delete NAME@VERSION within the registry's deletion rules (its number stays reserved; past the deletion window, yank instead)",
      )
      .option('-y, --yes', 'do not ask for confirmation (needed when not on a terminal)'),
    async (ctx, spec: string, options: import('../commands/unpublish.ts').UnpublishOptions) =>
      (await import('../commands/unpublish.ts')).unpublish(ctx, spec, options),
  );
}
