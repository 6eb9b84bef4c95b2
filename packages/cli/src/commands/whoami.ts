import type { Context } from '../context.ts';
import { apiRequest } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';

/** Asks the registry whose token this is. */
export async function whoami(ctx: Context): Promise<CommandOutput> {
  const me = await apiRequest<{ username: string; kind?: string; expires_at?: string | null }>(ctx, {
    method: 'POST',
    path: '/auth/verify',
    json: {},
    auth: 'required',
  });
  const via = ctx.env.SYNAPSE_TOKEN && ctx.envTokenWithheld === null ? ' (from SYNAPSE_TOKEN)' : '';
  return output(
    { registry: ctx.registry, username: me.username, kind: me.kind ?? null, expires_at: me.expires_at ?? null },
    `${me.username}${via}`,
  );
}
