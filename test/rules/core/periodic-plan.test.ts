/** The periodic plan as a pure function: what is sent, what is stale, what is left unchanged. */
import { expect } from 'chai';
import { toEvaluation, type Evaluation } from '../../../rules/core/delivery';
import { STALE_ANNOTATION, STALE_VERDICT, planPeriodicDelivery } from '../../../rules/core/periodic-plan';
import type { ReportedResult } from '../../../rules/core/stale';
import type { Compliance } from '../../../rules/core/types';
import { ROUTE_TYPE, routeId } from './support';

const AT = new Date('2026-10-04T03:00:00.000Z');
const found = (index: number, compliance: Compliance, annotation = `route ${index}`): Evaluation =>
  toEvaluation({ resourceType: ROUTE_TYPE, resourceId: routeId(0, index) }, compliance, annotation, AT);
const held = (
  index: number,
  compliance: 'COMPLIANT' | 'NON_COMPLIANT',
  annotation = `route ${index}`,
): ReportedResult => ({
  resourceType: ROUTE_TYPE,
  resourceId: routeId(0, index),
  compliance,
  annotation,
  recordedAt: AT,
});
const ids = (evaluations: readonly Evaluation[]) => evaluations.map((e) => e.ComplianceResourceId);

describe('rules/core/periodic-plan', () => {
  const options = { reportUnchanged: false, refreshAfterDays: 30, orderingTimestamp: AT };

  it('sends new and changed verdicts, counts the unchanged, and marks vanished results stale', () => {
    // Prepare: 0 unchanged, 1 changed verdict, 2 changed annotation, 3 new, 9 vanished.
    const sweep = [
      found(0, 'COMPLIANT'),
      found(1, 'NON_COMPLIANT'),
      found(2, 'COMPLIANT', 'new words'),
      found(3, 'COMPLIANT'),
    ];
    const results = [
      held(0, 'COMPLIANT'),
      held(1, 'COMPLIANT'),
      held(2, 'COMPLIANT'),
      held(9, 'NON_COMPLIANT'),
    ];
    // Act
    const plan = planPeriodicDelivery(sweep, { readable: true, results }, options);
    // Assess
    expect(ids(plan.send)).to.deep.equal([routeId(0, 1), routeId(0, 2), routeId(0, 3)]);
    expect(plan.unchanged).to.equal(1);
    expect(plan.stale).to.deep.equal([
      {
        ComplianceResourceType: ROUTE_TYPE,
        ComplianceResourceId: routeId(0, 9),
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: STALE_ANNOTATION,
        OrderingTimestamp: AT,
      },
    ]);
  });

  it('re-sends unchanged results whose refresh is due, oldest first, after the changed ones', () => {
    // Prepare: route 0 changed; 1 and 2 unchanged but recorded 40 and 35 days ago; 3 unchanged and recorded today.
    const daysAgo = (days: number) => new Date(AT.getTime() - days * 86_400_000);
    const sweep = [
      found(0, 'NON_COMPLIANT'),
      found(1, 'COMPLIANT'),
      found(2, 'COMPLIANT'),
      found(3, 'COMPLIANT'),
    ];
    const results = [
      held(0, 'COMPLIANT'),
      { ...held(1, 'COMPLIANT'), recordedAt: daysAgo(35) },
      { ...held(2, 'COMPLIANT'), recordedAt: daysAgo(40) },
      { ...held(3, 'COMPLIANT'), recordedAt: AT },
    ];
    // Act
    const plan = planPeriodicDelivery(sweep, { readable: true, results }, options);
    // Assess
    expect(ids(plan.send)).to.deep.equal([routeId(0, 0), routeId(0, 2), routeId(0, 1)]);
    expect(plan.refreshed).to.equal(2);
    expect(plan.unchanged).to.equal(1);
  });

  it('does not send a NOT_APPLICABLE for a resource Config holds nothing of', () => {
    // Act
    const plan = planPeriodicDelivery([found(0, 'NOT_APPLICABLE')], { readable: true, results: [] }, options);
    // Assess
    expect(plan.send).to.deep.equal([]);
    expect(plan.unchanged).to.equal(1);
  });

  it('sends everything found with reportUnchanged, and still marks vanished results stale', () => {
    // Act
    const plan = planPeriodicDelivery(
      [found(0, 'COMPLIANT')],
      { readable: true, results: [held(0, 'COMPLIANT'), held(5, 'COMPLIANT')] },
      { ...options, reportUnchanged: true },
    );
    // Assess
    expect(ids(plan.send)).to.deep.equal([routeId(0, 0)]);
    expect(ids(plan.stale)).to.deep.equal([routeId(0, 5)]);
    expect(plan.unchanged).to.equal(0);
  });

  it('sends everything found and nothing stale when the held results could not be read', () => {
    // Act
    const plan = planPeriodicDelivery(
      [found(0, 'COMPLIANT'), found(1, 'NOT_APPLICABLE')],
      { readable: false, error: new Error('denied') },
      options,
    );
    // Assess
    expect(ids(plan.send)).to.deep.equal([routeId(0, 0), routeId(0, 1)]);
    expect(plan.stale).to.deep.equal([]);
    expect(plan.unchanged).to.equal(0);
  });

  it('re-reports a vanished resource NOT_APPLICABLE with the core code resource-no-longer-found', () => {
    // Assess
    expect(STALE_VERDICT).to.deep.equal({
      compliance: 'NOT_APPLICABLE',
      code: 'resource-no-longer-found',
      annotation: STALE_ANNOTATION,
    });
  });
});
