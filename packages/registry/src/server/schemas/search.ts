/** Search and autocomplete results. */
const nullableString = { type: ['string', 'null'] } as const;
const number = { type: 'number' } as const;

export const scorePartsSchema = {
  type: 'object',
  required: ['text', 'relevance', 'exact_terms', 'popularity', 'recency', 'exact_match'],
  properties: {
    text: { ...number, description: "The backend's raw text score (bm25 or ts_rank_cd)" },
    relevance: number,
    exact_terms: { type: 'boolean', description: 'False when the package matches only through a typo correction' },
    popularity: number,
    recency: number,
    exact_match: number,
  },
} as const;

export const searchHitSchema = {
  type: 'object',
  required: ['name', 'description', 'latest', 'keywords', 'downloads', 'score'],
  properties: {
    name: { type: 'string' },
    description: nullableString,
    latest: nullableString,
    keywords: { type: 'array', items: { type: 'string' } },
    downloads: { type: 'integer', minimum: 0 },
    score: number,
    explain: { ...scorePartsSchema, description: 'The parts of the score (explain=true only)' },
  },
} as const;

export const suggestionSchema = {
  type: 'object',
  required: ['name', 'description', 'latest', 'downloads'],
  properties: {
    name: { type: 'string' },
    description: nullableString,
    latest: { type: 'string' },
    downloads: { type: 'integer', minimum: 0 },
  },
} as const;
