import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvss3BaseScore, levelRank, severityOf } from './severity.ts';

test('CVSS 3.x base scores match FIRST’s calculator', () => {
  const cases: [string, number][] = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
  ];
  for (const [vector, score] of cases) assert.equal(cvss3BaseScore(vector), score, vector);
  assert.equal(cvss3BaseScore('CVSS:3.1/AV:N/AC:L'), null, 'an incomplete vector has no score');
  assert.equal(cvss3BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), null, 'CVSS 2 is not scored');
});

test('the database’s own word wins over the vector; nothing known is null, ranked above critical', () => {
  const vector = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }];
  assert.equal(severityOf({ severity: vector }).level, 'critical');
  assert.equal(severityOf({ severity: vector, database_specific: { severity: 'Medium' } }).level, 'moderate');
  assert.equal(severityOf({ severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }] }).level, null);
  assert.ok(levelRank(null) > levelRank('critical'));
});
