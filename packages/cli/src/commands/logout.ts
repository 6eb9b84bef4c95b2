import { readCredential, writeCredential } from '../config.ts';
import type { Context } from '../context.ts';
import { apiRequest } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';

/**
 * Ends the server session where the registry offers `POST /auth/logout` (best-effort: an older
 * registry answers 404, an unreachable one must not keep the user logged in locally), then
 * forgets the stored credential. Only the stored token is revoked, never SYNAPSE_TOKEN.
 */
export async function logout(ctx: Context): Promise<CommandOutput> {
  const credential = await readCredential(ctx.env, ctx.registry);
  let revoked = false;
  if (credential) {
    revoked = await apiRequest(ctx, { method: 'POST', path: '/auth/logout', json: {}, auth: 'required', token: credential.token }).then(
      () => true,
      () => false,
    );
  }
  const existed = await writeCredential(ctx.env, ctx.registry, null);
  const note = existed && !revoked ? ' (the registry did not confirm ending the session; the token stays valid until it expires)' : '';
  return output(
    { registry: ctx.registry, removed: existed, revoked },
    existed ? `Logged out of ${ctx.registry}${note}` : `You were not logged in to ${ctx.registry}`,
  );
}
