import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBearer } from './bearer.ts';

test('parseBearer', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln-_';
  const cases: [header: string | string[] | undefined, expected: string | null][] = [
    ['Bearer syn_abc123', 'syn_abc123'],
    ['bearer syn_abc123', 'syn_abc123'],
    ['BEARER syn_abc123', 'syn_abc123'],
    [`Bearer ${jwt}`, jwt],
    ['  Bearer   syn_abc123  ', 'syn_abc123'],
    ['Bearer abc+/==', 'abc+/=='],
    [undefined, null],
    ['', null],
    ['Bearer', null],
    ['Bearer ', null],
    ['Bearer    ', null],
    ['Bearersyn_abc123', null],
    ['Basic dXNlcjpwYXNz', null],
    ['Token syn_abc123', null],
    ['syn_abc123', null],
    ['Bearer syn_abc123 syn_def456', null],
    ['Bearer syn_abc123, Bearer syn_def456', null],
    ['Bearer syn_abc123,syn_def456', null],
    ['Bearer Bearer syn_abc123', null],
    ['Bearer syn_abc\n123', null],
    ['Bearer a=b', null],
    [['Bearer syn_abc123', 'Bearer syn_def456'], null],
  ];
  for (const [header, expected] of cases) assert.equal(parseBearer(header), expected, JSON.stringify(header));
});
