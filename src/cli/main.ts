/**
 * `synapse`: the command-line client. Parses the command line, builds the context, runs one
 * command, and is the only place that prints results and sets the exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { createContext, type Context } from './context.ts';
import { CliError, EXIT_OK, EXIT_USER, toCliError } from './errors.ts';
import type { CommandOutput } from './output.ts';
import { progressFor } from './progress.ts';
import { terminalJson, terminalSafe } from './terminal-text.ts';

interface GlobalOptions {
  registry?: string;
  timeout?: string;
  json?: boolean;
}

type Handler = (ctx: Context) => Promise<CommandOutput>;

let exitCode = EXIT_OK;

async function run(command: Command, handler: Handler): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const json = globals.json === true;
  const progress = await progressFor(process.stderr, { json, ci: Boolean(process.env.CI) });
  try {
    const ctx = await createContext({ cwd: process.cwd(), env: process.env, registryFlag: globals.registry, timeoutFlag: globals.timeout, json, progress });
    const result = await handler(ctx);
    progress.stop();
    // Everything printed passes through terminalSafe/terminalJson: registry text never drives the terminal.
    process.stdout.write(json ? `${terminalJson(result.data)}\n` : `${terminalSafe(result.text)}\n`);
  } catch (thrown) {
    progress.stop();
    const error = toCliError(thrown);
    exitCode = error.exitCode;
    if (json) {
      process.stdout.write(
        `${terminalJson({ error: { code: error.code, message: error.message, hint: error.hint ?? null, ...(error.data ? { data: error.data } : {}) } })}\n`,
      );
    } else {
      process.stderr.write(terminalSafe(`error: ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`));
    }
    if (process.env.SYNAPSE_DEBUG && thrown instanceof Error) process.stderr.write(terminalSafe(`${thrown.stack}\n`));
  }
}

/** Registers a sub-command whose action runs `load()`'s handler; modules load only when used. */
function action<A extends unknown[]>(cmd: Command, handler: (ctx: Context, ...args: A) => Promise<CommandOutput>): Command {
  return cmd.action(async (...args: unknown[]) => {
    const self = args[args.length - 1] as Command;
    await run(self, (ctx) => handler(ctx, ...(args.slice(0, -1) as A)));
  });
}

function buildProgram(): Command {
  const program = new Command('synapse').description('The Synapse language toolchain').exitOverride().showHelpAfterError();
  const pkg = program
    .command('pkg')
    .description('Manage Synapse packages: install, publish, search')
    .option('--registry <url>', 'registry URL (default: SYNAPSE_REGISTRY, synapse.json "registry", user config, http://127.0.0.1:8080)')
    .option('--json', 'print machine-readable JSON instead of text')
    .option('--timeout <ms>', 'wait at most this long for the registry to connect and answer (default: SYNAPSE_TIMEOUT, user config "timeout", 30000)')
    .exitOverride()
    .showHelpAfterError();

  action(pkg.command('init').description('write a synapse.json for a new package')
    .option('--name <name>', 'package name (default: the folder name)')
    .option('--version <version>', 'first version', '0.1.0')
    .option('--description <text>', 'one-line description')
    .option('--license <spdx>', 'license', 'MIT'),
    async (ctx, options: import('./commands/init.ts').InitOptions) => (await import('./commands/init.ts')).init(ctx, options));

  action(pkg.command('pack').description('build NAME-VERSION.tgz exactly as publish would upload it')
    .option('--dry-run', 'check and list the files without writing the tarball'),
    async (ctx, options: { dryRun?: boolean }) => (await import('./commands/pack.ts')).pack(ctx, options));

  action(pkg.command('publish').description('check the package locally, then upload it')
    .option('--dry-run', 'do every check but do not upload')
    .option('--tag <tag>', 'point this dist-tag (beta, next, ...) at the new version; latest does not move unless the tag is latest'),
    async (ctx, options: import('./commands/publish.ts').PublishOptions) => (await import('./commands/publish.ts')).publish(ctx, options));

  action(pkg.command('login').description('log in and keep the token for this registry')
    .option('-u, --username <name>', 'user name (asked on a terminal otherwise)')
    .option('--password-stdin', 'read the password from stdin')
    .option('--token <token>', 'store this API token instead of logging in with a password')
    .option('--token-stdin', 'read an API token from stdin'),
    async (ctx, options: import('./commands/login.ts').LoginOptions) => (await import('./commands/login.ts')).login(ctx, options));

  action(pkg.command('logout').description('forget the stored token for this registry'),
    async (ctx) => (await import('./commands/logout.ts')).logout(ctx));

  action(pkg.command('whoami').description('show who the registry thinks you are'),
    async (ctx) => (await import('./commands/whoami.ts')).whoami(ctx));

  const token = pkg.command('token').description('manage API tokens (for CI: set SYNAPSE_TOKEN)');
  action(token.command('create <name>').description('create an API token; the secret is shown once')
    .option('--scope <scope...>', 'any of publish, delete, yank (also deprecation), owners, dist-tags, webhooks (default: publish)')
    .option('--package <name...>', 'limit the token to these packages')
    .option('--expires-in-days <days>', 'lifetime in days'),
    async (ctx, name: string, options: import('./commands/token.ts').TokenCreateOptions) => (await import('./commands/token.ts')).tokenCreate(ctx, name, options));
  action(token.command('list').description('list your API tokens'),
    async (ctx) => (await import('./commands/token.ts')).tokenList(ctx));
  action(token.command('revoke <id>').description('revoke an API token at once'),
    async (ctx, id: string) => (await import('./commands/token.ts')).tokenRevoke(ctx, id));

  const owner = pkg.command('owner').description('see and change who may publish a package');
  action(owner.command('ls <name>').alias('list').description('list the owners of a package and since when'),
    async (ctx, name: string) => (await import('./commands/owner.ts')).ownerList(ctx, name));
  action(owner.command('add <name> <username>').description('invite a user to become an owner (they accept within 30 days)'),
    async (ctx, name: string, username: string) => (await import('./commands/owner.ts')).ownerAdd(ctx, name, username));
  action(owner.command('rm <name> <username>').alias('remove').description('remove an owner (yourself included); a package keeps at least one'),
    async (ctx, name: string, username: string) => (await import('./commands/owner.ts')).ownerRemove(ctx, name, username));
  action(owner.command('invitations <name>').description("list a package's open owner invitations (owners only)"),
    async (ctx, name: string) => (await import('./commands/owner.ts')).ownerInvitations(ctx, name));
  action(owner.command('cancel <name> <username>').description('withdraw an open invitation to USERNAME'),
    async (ctx, name: string, username: string) => (await import('./commands/owner.ts')).ownerCancel(ctx, name, username));

  const invitations = pkg.command('invitations').description('list your invitations to become an owner; accept or decline them');
  action(invitations, async (ctx) => (await import('./commands/invitations.ts')).invitationList(ctx));
  action(invitations.command('accept <name>').description('accept an invitation: you become an owner of NAME'),
    async (ctx, name: string) => (await import('./commands/invitations.ts')).invitationAccept(ctx, name));
  action(invitations.command('decline <name>').description('decline an invitation to NAME'),
    async (ctx, name: string) => (await import('./commands/invitations.ts')).invitationDecline(ctx, name));

  action(pkg.command('search <query...>').description('search packages (AND by default; OR, NOT, "phrases", name:, keyword:)')
    .option('--page <n>', 'page number')
    .option('--per-page <n>', 'results per page'),
    async (ctx, words: string[], options: { page?: string; perPage?: string }) => (await import('./commands/search.ts')).search(ctx, words.join(' '), options));

  action(pkg.command('info <spec>').description('show a package (NAME) or one version (NAME@VERSION)'),
    async (ctx, spec: string) => (await import('./commands/info.ts')).info(ctx, spec));

  const distTag = pkg.command('dist-tag').description('list and change dist-tags (latest, beta, next, ...): names that point at versions');
  action(distTag.command('ls <name>').alias('list').description("list a package's dist-tags"),
    async (ctx, name: string) => (await import('./commands/dist-tag.ts')).distTagList(ctx, name));
  action(distTag.command('add <spec> <tag>').description('point TAG at NAME@VERSION (owners; a token needs the dist-tags scope)'),
    async (ctx, spec: string, tag: string) => (await import('./commands/dist-tag.ts')).distTagAdd(ctx, spec, tag));
  action(distTag.command('rm <name> <tag>').alias('remove').description('remove TAG from NAME (latest cannot be removed; point it elsewhere)'),
    async (ctx, name: string, tag: string) => (await import('./commands/dist-tag.ts')).distTagRemove(ctx, name, tag));

  action(pkg.command('versions <name>').description('list the versions of a package, newest first'),
    async (ctx, name: string) => (await import('./commands/versions.ts')).versions(ctx, name));

  action(pkg.command('deprecate <spec>').description('deprecate a package (NAME) or one version (NAME@VERSION): installs warn, naming the replacement; needs a token with the "yank" scope')
    .requiredOption('--reason <reason>', 'why: deprecated, renamed, security, invalid or other')
    .option('--message <text>', 'what users should know or do (one line, at most 500 characters)')
    .option('--replacement <name>', 'another existing package to use instead')
    .addHelpText('after', '\nExamples:\n  synapse pkg deprecate old-http --reason renamed --replacement http\n  synapse pkg deprecate http@1.0.0 --reason security --message "CVE-2026-0001: upgrade to 1.0.1"'),
    async (ctx, spec: string, options: import('./commands/deprecate.ts').DeprecateOptions) => (await import('./commands/deprecate.ts')).deprecate(ctx, spec, options));
  action(pkg.command('undeprecate <spec>').description('undo the deprecation of a package (NAME) or one version (NAME@VERSION)'),
    async (ctx, spec: string) => (await import('./commands/deprecate.ts')).undeprecate(ctx, spec));
  action(pkg.command('yank <spec>').description('yank NAME@VERSION: new installs skip it, it still downloads and lockfiles keep it')
    .option('--reason <text>', 'why, shown to users (printable, at most 500 characters)'),
    async (ctx, spec: string, options: import('./commands/yank.ts').YankOptions) => (await import('./commands/yank.ts')).yank(ctx, spec, options));
  action(pkg.command('unyank <spec>').description('undo a yank of NAME@VERSION: new installs may pick it again'),
    async (ctx, spec: string) => (await import('./commands/yank.ts')).unyank(ctx, spec));

  action(pkg.command('audit-log <name>').description("show a package's audit log, newest first: who published, deleted, yanked, tagged … (owners and admins)")
    .option('--page <n>', 'page number (default 1)')
    .option('--per-page <n>', 'entries per page, 1 to 100 (default 20)'),
    async (ctx, name: string, options: import('./commands/audit-log.ts').AuditLogOptions) => (await import('./commands/audit-log.ts')).auditLog(ctx, name, options));

  const webhook = pkg.command('webhook').description("signed HTTP calls to your server when your packages change (publish, yank, deprecate, tags, owners)");
  action(webhook.command('add <url>').description('subscribe URL to events of one package (--package) or of all yours; prints the signing secret once')
    .requiredOption('--event <event...>', 'package.published, version.yanked, version.unyanked, version.deprecated, version.deleted, dist_tag.changed, owner.added, owner.removed, ...')
    .option('--package <name>', 'only this package (default: every package you own)'),
    async (ctx, url: string, options: import('./commands/webhook.ts').WebhookAddOptions) => (await import('./commands/webhook.ts')).webhookAdd(ctx, url, options));
  action(webhook.command('ls').alias('list').description('list your webhooks and whether each is active'),
    async (ctx) => (await import('./commands/webhook.ts')).webhookList(ctx));
  action(webhook.command('rm <id>').alias('remove').description('delete a webhook and its delivery log'),
    async (ctx, id: string) => (await import('./commands/webhook.ts')).webhookRemove(ctx, id));
  action(webhook.command('ping <id>').description('send a signed ping event now, to check the receiver'),
    async (ctx, id: string) => (await import('./commands/webhook.ts')).webhookPing(ctx, id));
  action(webhook.command('deliveries <id>').description("a webhook's delivery log, newest first: state, attempts, the receiver's answer")
    .option('--page <n>', 'page number (default 1)')
    .option('--per-page <n>', 'deliveries per page, 1 to 100 (default 20)'),
    async (ctx, id: string, options: { page?: string; perPage?: string }) => (await import('./commands/webhook.ts')).webhookDeliveries(ctx, id, options));
  action(webhook.command('redeliver <id> <delivery>').description('send a finished delivery again, with the same webhook-id'),
    async (ctx, id: string, delivery: string) => (await import('./commands/webhook.ts')).webhookRedeliver(ctx, id, delivery));

  const installFlags = (cmd: Command) =>
    cmd
      .option('--frozen-lockfile', 'fail instead of changing synapse.lock (for CI)')
      .option('--offline', 'make no network call: install from the cache or fail');

  action(installFlags(pkg.command('install [specs...]').alias('i').description('install everything in synapse.json, honouring synapse.lock; with NAME, NAME@RANGE or NAME@TAG, the same as add')),
    async (ctx, specs: string[], options: import('./install.ts').InstallFlags) =>
      specs.length > 0 ? (await import('./commands/add.ts')).add(ctx, specs, options) : (await import('./commands/install.ts')).install(ctx, options));
  action(installFlags(pkg.command('add <specs...>').description('add dependencies (NAME, NAME@RANGE or NAME@TAG such as foo@beta) and install')),
    async (ctx, specs: string[], options: import('./install.ts').InstallFlags) => (await import('./commands/add.ts')).add(ctx, specs, options));
  action(installFlags(pkg.command('remove <names...>').alias('rm').description('remove dependencies and uninstall them')),
    async (ctx, names: string[], options: import('./install.ts').InstallFlags) => (await import('./commands/remove.ts')).remove(ctx, names, options));
  action(pkg.command('update [names...]').alias('up').description('move dependencies (all, or NAMEs) to the newest versions their ranges allow')
    .addOption(new Option('--offline', 'resolve from cached metadata only')),
    async (ctx, names: string[], options: import('./install.ts').InstallFlags) => (await import('./commands/update.ts')).update(ctx, names, options));

  return program;
}

/** Runs the client with these arguments (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  exitCode = EXIT_OK;
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print themselves and exit 0; anything else is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USER;
    }
    const cli = error instanceof CliError ? error : toCliError(error);
    process.stderr.write(terminalSafe(`error: ${cli.message}\n`));
    return cli.exitCode;
  }
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
