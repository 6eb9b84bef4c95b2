/**
 * `synapse pkg webhook add|ls|rm|ping|deliveries|redeliver`: subscriptions to a package's events (or
 * to every package of the account), their delivery log, and sending one again.
 */
import type { Context } from '../context.ts';
import { userError } from '../errors.ts';
import { apiRequest, seg } from '../http.ts';
import { output, type CommandOutput } from '../output.ts';
import { parsePackageName } from '../../../core/src/names.ts';

interface WebhookView {
  id: number;
  url: string;
  events: string[];
  package: string | null;
  active: boolean;
  disabled_reason: string | null;
  failing_since: string | null;
  secret?: string;
}

interface DeliveryView {
  id: string;
  event: string;
  package: string | null;
  created_at: string;
  state: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
}

export interface WebhookAddOptions {
  event: string[];
  package?: string;
}

function checkedId(id: string): string {
  if (!/^[1-9][0-9]{0,15}$/.test(id))
    throw userError('invalid_argument', `"${id}" is not a webhook id; list yours with: synapse pkg webhook ls`);
  return id;
}

const scopeOf = (h: WebhookView) => h.package ?? 'all your packages';

function describe(h: WebhookView): string {
  const state = h.active
    ? h.failing_since
      ? `failing since ${h.failing_since}`
      : 'active'
    : `off: ${h.disabled_reason ?? 'switched off'}`;
  return `${String(h.id).padEnd(6)} ${h.url}\n       ${scopeOf(h)} · ${h.events.join(', ')} · ${state}`;
}

/** Subscribes URL to events; prints the signing secret once. */
export async function webhookAdd(ctx: Context, url: string, options: WebhookAddOptions): Promise<CommandOutput> {
  const body: Record<string, unknown> = { url, events: options.event };
  if (options.package !== undefined) {
    const name = parsePackageName(options.package);
    if (!name.ok) throw userError('invalid_spec', `--package "${options.package}": ${name.message}`);
    body.package = name.value;
  }
  const created = await apiRequest<WebhookView>(ctx, { path: '/webhooks', json: body, auth: 'required' });
  return output(
    created,
    [
      `Created webhook ${created.id}: ${scopeOf(created)} → ${created.url} (${created.events.join(', ')})`,
      `Signing secret: ${created.secret ?? ''}`,
      'This is the only time the secret is shown; give it to the receiver so it can verify the webhook-signature header.',
      `Check the receiver with: synapse pkg webhook ping ${created.id}`,
    ].join('\n'),
  );
}

export async function webhookList(ctx: Context): Promise<CommandOutput> {
  const { results } = await apiRequest<{ results: WebhookView[] }>(ctx, { path: '/webhooks', auth: 'required' });
  return output({ webhooks: results }, results.length === 0 ? 'No webhooks' : results.map(describe).join('\n'));
}

export async function webhookRemove(ctx: Context, id: string): Promise<CommandOutput> {
  await apiRequest(ctx, { method: 'DELETE', path: `/webhooks/${checkedId(id)}`, auth: 'required' });
  return output({ id: Number(id), deleted: true }, `Deleted webhook ${id}`);
}

export async function webhookPing(ctx: Context, id: string): Promise<CommandOutput> {
  const { delivery } = await apiRequest<{ delivery: string }>(ctx, {
    method: 'POST',
    path: `/webhooks/${checkedId(id)}/ping`,
    auth: 'required',
  });
  return output({ id: Number(id), delivery }, `Ping queued as ${delivery}; see how it went with: synapse pkg webhook deliveries ${id}`);
}

export async function webhookDeliveries(ctx: Context, id: string, options: { page?: string; perPage?: string }): Promise<CommandOutput> {
  const query = new URLSearchParams();
  if (options.page) query.set('page', options.page);
  if (options.perPage) query.set('per_page', options.perPage);
  const suffix = query.size > 0 ? `?${query}` : '';
  const page = await apiRequest<{ total: number; results: DeliveryView[] }>(ctx, {
    path: `/webhooks/${checkedId(id)}/deliveries${suffix}`,
    auth: 'required',
  });
  const line = (d: DeliveryView) => {
    const outcome =
      d.state === 'delivered'
        ? `delivered (HTTP ${d.last_status_code})`
        : d.state === 'pending' && d.next_attempt_at
          ? `retrying at ${d.next_attempt_at}`
          : d.state;
    const why = d.state !== 'delivered' && d.last_error ? ` · ${d.last_error}` : '';
    return `${d.id}  ${d.created_at}  ${d.event}${d.package ? ` ${d.package}` : ''}  ${outcome}, ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}${why}`;
  };
  return output(page, page.results.length === 0 ? `No deliveries for webhook ${id}` : page.results.map(line).join('\n'));
}

export async function webhookRedeliver(ctx: Context, id: string, delivery: string): Promise<CommandOutput> {
  await apiRequest(ctx, { method: 'POST', path: `/webhooks/${checkedId(id)}/deliveries/${seg(delivery)}/redeliver`, auth: 'required' });
  return output(
    { id: Number(id), delivery, queued: true },
    `Delivery ${delivery} queued again (same webhook-id, so a receiver that has it can skip it)`,
  );
}
