import { writeCredential } from '../config.ts';
import type { Context } from '../context.ts';
import { output, type CommandOutput } from '../output.ts';

/** Forgets the stored credential for the registry (the token itself stays valid until it expires). */
export async function logout(ctx: Context): Promise<CommandOutput> {
  const existed = await writeCredential(ctx.env, ctx.registry, null);
  return output(
    { registry: ctx.registry, removed: existed },
    existed ? `Logged out of ${ctx.registry}` : `You were not logged in to ${ctx.registry}`,
  );
}
