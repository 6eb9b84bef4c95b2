/** `synapse pkg unpublish NAME@VERSION`: delete one version through the registry's deletion rules. */
import type { Context } from '../context.ts';
import { CliError, userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { ask } from '../prompt.ts';
import { parseTarget } from './yank.ts';

export interface UnpublishOptions {
  yes?: boolean;
}

// What to do instead, by the registry's refusal code; the registry's own words come first.
const INSTEAD: Record<string, (spec: string, name: string) => string> = {
  delete_window_passed_has_dependents: (spec) =>
    `Other packages depend on it. Yank it instead: synapse pkg yank ${spec} --reason "..." (new installs skip it).`,
  delete_window_passed_downloads: (spec) =>
    `It is in use. Yank it instead: synapse pkg yank ${spec} --reason "..." (new installs skip it).`,
  not_owner: (_, name) => `Only an owner may delete a version: synapse pkg owner ls ${name} shows who.`,
  token_scope: () =>
    'Create a token with the delete scope (synapse pkg token create TOKEN-NAME --scope delete), or log in with your password.',
};

/** Deletes a version after asking on a terminal (--yes skips the question; a script must pass it). */
export async function unpublish(ctx: Context, spec: string, options: UnpublishOptions): Promise<CommandOutput> {
  const { name, version } = parseTarget(spec, 'unpublish');
  const target = `${name}@${version}`;
  if (!options.yes) {
    if (process.stdin.isTTY !== true)
      throw userError('confirmation_required', `Deleting ${target} cannot be undone; pass --yes to confirm`);
    const answer = (await ask(`Delete ${target}? Its number can never be published again. [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') return output({ name, version, deleted: false }, `Kept ${target}`);
  }
  try {
    await apiRequest(ctx, { method: 'DELETE', path: `/packages/${seg(name)}/${seg(version)}`, auth: 'required' });
  } catch (error) {
    const instead = error instanceof CliError ? INSTEAD[error.code] : undefined;
    if (!instead || !(error instanceof CliError)) throw error;
    throw new CliError(error.exitCode, error.code, `The registry refused to delete ${target}: ${error.message}`, {
      hint: instead(target, name),
      data: error.data,
    });
  }
  return output({ name, version, deleted: true }, `Deleted ${target}; the version number ${version} stays reserved`);
}
