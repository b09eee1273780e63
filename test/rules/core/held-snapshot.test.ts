/**
 * The compact form of a cycle's snapshot of held results: it reads back exactly as Config answered (types,
 * verdicts, annotations and recorded times), and anything else in its place is a StateStoreError, never a guess.
 */
import { expect } from 'chai';
import { StateStoreError } from '../../../rules/core/errors';
import { packHeld, unpackHeld } from '../../../rules/core/held-snapshot';
import type { ReportedResult } from '../../../rules/core/stale';

describe('rules/core/held-snapshot (what Config held, kept once a cycle)', () => {
  it('reads back exactly what was packed, each type and annotation stored once', () => {
    // Prepare
    const results: ReportedResult[] = [
      { resourceType: 'AWS::ApiGatewayV2::Route', resourceId: 'r1', compliance: 'COMPLIANT' },
      {
        resourceType: 'AWS::ApiGatewayV2::Route',
        resourceId: 'r2',
        compliance: 'NON_COMPLIANT',
        annotation: 'No authorization.',
        recordedAt: new Date('2026-11-30T10:00:00.000Z'),
      },
      {
        resourceType: 'AWS::ApiGatewayV2::Api',
        resourceId: 'a1',
        compliance: 'NON_COMPLIANT',
        annotation: 'No authorization.',
      },
    ];
    // Act
    const packed = packHeld(results);
    const back = unpackHeld(JSON.parse(JSON.stringify(packed)), 'snapshot');
    // Assess
    expect(back).to.deep.equal(results);
    expect(packed.types).to.deep.equal(['AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Api']);
    expect(packed.notes).to.deep.equal(['No authorization.']);
  });

  for (const [title, value] of [
    ['no snapshot at all', null],
    ['another version', { v: 2, types: [], notes: [], rows: [] }],
    ['a row naming a type it lacks', { v: 1, types: [], notes: [], rows: [[0, 'r1', 0, -1, -1]] }],
    ['a row with an unknown verdict', { v: 1, types: ['T'], notes: [], rows: [[0, 'r1', 2, -1, -1]] }],
    ['a row naming an annotation it lacks', { v: 1, types: ['T'], notes: [], rows: [[0, 'r1', 1, 0, -1]] }],
  ] as const) {
    it(`fails with a StateStoreError on ${title}`, () => {
      // Act
      const read = () => unpackHeld(value, 'the snapshot');
      // Assess
      expect(read).to.throw(StateStoreError, /the snapshot/);
    });
  }
});
