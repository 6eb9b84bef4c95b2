import { defineRoute } from '../../route.ts';
import { json, problems, ref } from '../../schemas/index.ts';
import { advisoryDocumentView } from '../../views/advisory.ts';
import { advisoryById, idParams } from './common.ts';

export const showAdvisoryRoute = defineRoute({
  method: 'GET',
  url: '/advisories/:id',
  limit: 'read',
  schema: {
    summary: 'One advisory, as its OSV document (withdrawn ones too, with `withdrawn` set)',
    tags: ['advisories'],
    params: idParams,
    response: { 200: json('The OSV document', ref('Advisory')), ...problems(400, 404, 414, 429, 500, 503) },
  },
  async handler(deps, request) {
    const { id } = request.params as { id: string };
    return advisoryDocumentView(await advisoryById(deps, id));
  },
});
