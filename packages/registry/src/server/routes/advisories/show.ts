import { defineRoute } from '../../route.ts';
import { baseUrl } from '../../base-url.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { advisoryBriefSchema } from '../../schemas/advisories.ts';
import { advisoryBriefView, advisoryDocumentView, advisoryUrl } from '../../views/advisory.ts';
import { advisoryByIdOrAlias, idParams } from './common.ts';

export const showAdvisoryRoute = defineRoute({
  method: 'GET',
  url: '/advisories/:id',
  limit: 'read',
  schema: {
    summary:
      'One advisory, as its OSV document (withdrawn ones too, with `withdrawn` set). An alias (CVE-…, GHSA-…, any case) finds ' +
      'the advisory that names it, with Content-Location giving its own URL; when several name it, 300 lists them.',
    tags: ['advisories'],
    params: idParams,
    response: {
      200: json('The OSV document', ref('Advisory')),
      300: json('Several advisories name this alias', {
        type: 'object',
        required: ['alias', 'advisories'],
        properties: { alias: { type: 'string' }, advisories: { type: 'array', items: advisoryBriefSchema } },
      }),
      ...problems(400, 404, 414, 429, 500, 503),
    },
  },
  async handler(deps, request, reply) {
    const { id } = request.params as { id: string };
    const found = await advisoryByIdOrAlias(deps, id);
    const base = baseUrl(deps, request);
    if (Array.isArray(found)) {
      reply.code(300);
      return { alias: id, advisories: found.map((a) => advisoryBriefView(base, a)) };
    }
    if (found.id !== id) reply.header('content-location', advisoryUrl(base, found.id));
    return advisoryDocumentView(found);
  },
});
