import { parseQuery, queryAdvisories, QUERY_LIMITS } from '../../../advisories/query.ts';
import { baseUrl } from '../../base-url.ts';
import { defineRoute } from '../../route.ts';
import { json, problems } from '../../schemas/index.ts';
import { queryAnswerSchema } from '../../schemas/advisories.ts';
import { advisoryBriefView } from '../../views/advisory.ts';
import { lookupDeps } from './common.ts';

export const queryAdvisoriesRoute = defineRoute({
  method: 'POST',
  url: '/advisories/query',
  limit: 'read',
  schema: {
    summary: 'Which advisories affect these versions: a whole lockfile in one request',
    description:
      `The body maps package names to versions ({"web": ["1.2.0"], "log": ["0.3.1", "0.4.0"]}): at most ${QUERY_LIMITS.names} names and ` +
      `${QUERY_LIMITS.versions} versions in all. Withdrawn advisories never match. Nothing is written.`,
    tags: ['advisories'],
    body: {
      type: 'object',
      maxProperties: QUERY_LIMITS.names,
      additionalProperties: { type: 'array', maxItems: 1_000, items: { type: 'string', maxLength: 256 } },
    },
    response: { 200: json('The advisories affecting each version', queryAnswerSchema), ...problems(400, 413, 415, 429, 500, 503) },
  },
  async handler(deps, request) {
    const answer = await queryAdvisories(lookupDeps(deps), parseQuery(request.body as Record<string, string[]>));
    const base = baseUrl(deps, request);
    const advisories = Object.fromEntries([...answer.advisories].map(([id, a]) => [id, advisoryBriefView(base, a)]));
    return { results: answer.results, advisories };
  },
});
