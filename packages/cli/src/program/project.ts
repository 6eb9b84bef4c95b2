/** The project commands: init, pack, publish, install, add, remove, update. */
import type { Command } from 'commander';
import { action } from '../run.ts';
import { Option } from 'commander';

export function projectCommands(pkg: Command): void {
  action(
    pkg
      .command('init')
      .description('write a synapse.json for a new package')
      .option('--name <name>', 'package name (default: the folder name)')
      .option('--version <version>', 'first version', '0.1.0')
      .option('--description <text>', 'one-line description')
      .option('--license <spdx>', 'license', 'MIT'),
    async (ctx, options: import('../commands/init.ts').InitOptions) => (await import('../commands/init.ts')).init(ctx, options),
  );

  action(
    pkg
      .command('pack')
      .description('build NAME-VERSION.tgz exactly as publish would upload it')
      .option('--dry-run', 'check and list the files without writing the tarball'),
    async (ctx, options: { dryRun?: boolean }) => (await import('../commands/pack.ts')).pack(ctx, options),
  );

  action(
    pkg
      .command('publish')
      .description('check the package locally, then upload it')
      .option('--dry-run', 'do every check but do not upload')
      .option('--tag <tag>', 'point this dist-tag (beta, next, ...) at the new version; latest does not move unless the tag is latest')
      .option('--allow-secrets', 'publish although the registry finds what looks like a credential (it is not one)'),
    async (ctx, options: import('../commands/publish.ts').PublishOptions) => (await import('../commands/publish.ts')).publish(ctx, options),
  );

  const installFlags = (cmd: Command) =>
    cmd
      .option('--frozen-lockfile', 'fail instead of changing synapse.lock (for CI)')
      .option('--offline', 'make no network call: install from the cache or fail');

  action(
    installFlags(
      pkg
        .command('install [specs...]')
        .alias('i')
        .description('install everything in synapse.json, honouring synapse.lock; with NAME, NAME@RANGE or NAME@TAG, the same as add'),
    ),
    async (ctx, specs: string[], options: import('../install.ts').InstallFlags) =>
      specs.length > 0
        ? (await import('../commands/add.ts')).add(ctx, specs, options)
        : (await import('../commands/install.ts')).install(ctx, options),
  );
  action(
    installFlags(pkg.command('add <specs...>').description('add dependencies (NAME, NAME@RANGE or NAME@TAG such as foo@beta) and install')),
    async (ctx, specs: string[], options: import('../install.ts').InstallFlags) =>
      (await import('../commands/add.ts')).add(ctx, specs, options),
  );
  action(
    installFlags(pkg.command('remove <names...>').alias('rm').description('remove dependencies and uninstall them')),
    async (ctx, names: string[], options: import('../install.ts').InstallFlags) =>
      (await import('../commands/remove.ts')).remove(ctx, names, options),
  );
  action(
    pkg
      .command('update [names...]')
      .alias('up')
      .description('move dependencies (all, or NAMEs) to the newest versions their ranges allow')
      .addOption(new Option('--offline', 'resolve from cached metadata only')),
    async (ctx, names: string[], options: import('../install.ts').InstallFlags) =>
      (await import('../commands/update.ts')).update(ctx, names, options),
  );
}
