/** Webhooks: signed calls to the user's server when their packages change. */
import type { Command } from 'commander';
import { action } from '../run.ts';

export function webhookCommands(pkg: Command): void {
  const webhook = pkg
    .command('webhook')
    .description('signed HTTP calls to your server when your packages change (publish, yank, deprecate, tags, owners)');
  action(
    webhook
      .command('add <url>')
      .description('subscribe URL to events of one package (--package) or of all yours; prints the signing secret once')
      .requiredOption(
        '--event <event...>',
        'package.published, version.yanked, version.unyanked, version.deprecated, version.deleted, dist_tag.changed, owner.added, owner.removed, ...',
      )
      .option('--package <name>', 'only this package (default: every package you own)'),
    async (ctx, url: string, options: import('../commands/webhook.ts').WebhookAddOptions) =>
      (await import('../commands/webhook.ts')).webhookAdd(ctx, url, options),
  );
  action(webhook.command('ls').alias('list').description('list your webhooks and whether each is active'), async (ctx) =>
    (await import('../commands/webhook.ts')).webhookList(ctx),
  );
  action(webhook.command('rm <id>').alias('remove').description('delete a webhook and its delivery log'), async (ctx, id: string) =>
    (await import('../commands/webhook.ts')).webhookRemove(ctx, id),
  );
  action(webhook.command('ping <id>').description('send a signed ping event now, to check the receiver'), async (ctx, id: string) =>
    (await import('../commands/webhook.ts')).webhookPing(ctx, id),
  );
  action(
    webhook
      .command('deliveries <id>')
      .description("a webhook's delivery log, newest first: state, attempts, the receiver's answer")
      .option('--page <n>', 'page number (default 1)')
      .option('--per-page <n>', 'deliveries per page, 1 to 100 (default 20)'),
    async (ctx, id: string, options: { page?: string; perPage?: string }) =>
      (await import('../commands/webhook.ts')).webhookDeliveries(ctx, id, options),
  );
  action(
    webhook.command('redeliver <id> <delivery>').description('send a finished delivery again, with the same webhook-id'),
    async (ctx, id: string, delivery: string) => (await import('../commands/webhook.ts')).webhookRedeliver(ctx, id, delivery),
  );
}
