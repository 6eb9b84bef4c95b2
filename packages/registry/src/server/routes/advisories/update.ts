import { editAdvisory } from '../../../advisories/manage.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, ref } from '../../schemas/index.ts';
import { advisoryDocumentView } from '../../views/advisory.ts';
import { advisoryById, idParams, osvBody, writeRefusals } from './common.ts';

export const updateAdvisoryRoute = defineRoute({
  method: 'PUT',
  url: '/advisories/:id',
  limit: 'write',
  schema: {
    summary: 'Replace an advisory: correct it, or withdraw it by setting `withdrawn` (admins; the owner who filed it)',
    tags: ['advisories'],
    security: [{ bearer: [] }],
    params: idParams,
    body: osvBody,
    response: { 200: json('The stored document', ref('Advisory')), ...writeRefusals },
  },
  async handler(deps, request) {
    const actor = await authenticate(deps, request);
    const { id } = request.params as { id: string };
    await editAdvisory(deps, actor, id, request.body as Record<string, unknown>);
    return advisoryDocumentView(await advisoryById(deps, id));
  },
});
