import { parseGraceHours, rotateSecret, ROTATION_GRACE_DEFAULT_HOURS, ROTATION_GRACE_MAX_HOURS } from '../../../webhooks/manage.ts';
import { getWebhook } from '../../../webhooks/read.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json } from '../../schemas/index.ts';
import { webhookWithSecretSchema } from '../../schemas/webhooks.ts';
import { webhookView } from '../../views/webhook.ts';
import { idParams, webhookDeps, writeRefusals } from './common.ts';

export const rotateWebhookSecretRoute = defineRoute({
  method: 'POST',
  url: '/webhooks/:id/rotate-secret',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'Replace the signing secret; the old one keeps signing beside it for a grace period',
    description: `During the grace (default ${ROTATION_GRACE_DEFAULT_HOURS} h, at most ${ROTATION_GRACE_MAX_HOURS} h, 0 for none) every delivery carries two signatures, so receivers can switch secrets without losing one.`,
    tags: ['webhooks'],
    security: [{ bearer: [] }],
    params: idParams,
    body: { type: ['object', 'null'], properties: { grace_hours: { type: 'integer', minimum: 0, maximum: ROTATION_GRACE_MAX_HOURS } } },
    response: { 200: json('The subscription, with its new secret (shown this once)', webhookWithSecretSchema), ...writeRefusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { id } = request.params as { id: number };
    const { secret } = await rotateSecret(webhookDeps(deps), actor, id, parseGraceHours(request.body));
    const hook = await getWebhook(deps.db.kysely, actor, id);
    return { ...webhookView(hook.row, hook.packageName), secret };
  },
});
