import { fileAdvisory } from '../../../advisories/manage.ts';
import { authenticate } from '../../authenticate.ts';
import { defineRoute } from '../../route.ts';
import { json, ref } from '../../schemas/index.ts';
import { advisoryDocumentView } from '../../views/advisory.ts';
import { advisoryById, osvBody, writeRefusals } from './common.ts';

export const createAdvisoryRoute = defineRoute({
  method: 'POST',
  url: '/advisories',
  limit: 'write',
  perUser: 'actor',
  schema: {
    summary: 'File an advisory (admins with a session; or owners of every package it names)',
    description:
      'The body is an OSV document whose affected packages are in the "Synapse" ecosystem and exist here. The registry sets ' +
      '`modified`, and `published` when absent. Owners leave `id` out and get SYN-<year>-<number>; an API token needs the ' +
      '"publish" scope for each package named. The level comes from database_specific.severity, else from a CVSS 3 vector.',
    tags: ['advisories'],
    security: [{ bearer: [] }],
    body: osvBody,
    response: { 201: json('Filed: the stored document', ref('Advisory')), ...writeRefusals },
  },
  async handler(deps, request, reply) {
    const actor = await authenticate(deps, request);
    const id = await fileAdvisory(deps, actor, request.body as Record<string, unknown>);
    return reply.status(201).send(advisoryDocumentView(await advisoryById(deps, id)));
  },
});
