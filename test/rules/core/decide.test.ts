import { expect } from 'chai';
import sinon from 'sinon';
import { apigwv2RouteAuthorization } from '../../../rules/apigwv2-route-authorization/rule';
import { decide, decideSwept, judge } from '../../../rules/core/decide';
import type { ExceptionSettings } from '../../../rules/core/exceptions';
import { sweptRoute } from './support';

const SETTINGS: ExceptionSettings = { prefix: 'authn-exception', requiresExpiry: false, today: '2026-10-04' };
const PARAMS = {
  authorizationType: undefined,
  ExemptCorsPreflightRoutes: false,
  ReportUnchanged: false,
  RefreshAfterDays: 30,
};

describe('rules/core/decide', () => {
  it("returns the rule's verdict when the resource passes, whatever its tags", () => {
    // Prepare
    const route = sweptRoute(0, 0, 'JWT');
    // Act
    const verdict = decide(
      apigwv2RouteAuthorization,
      route.facts,
      { 'authn-exception/APIGateway.8': 'x' },
      PARAMS,
      SETTINGS,
    );
    // Assess
    expect(verdict.compliance).to.equal('COMPLIANT');
  });

  it('exempts a failing route with a route-key exception on the API, and reports the exception', () => {
    // Prepare
    const route = sweptRoute(0, 0, 'NONE');
    const tags = { [`authn-exception/APIGateway.8/${route.facts.routeKey}`]: 'public catalogue listing' };
    // Act
    const judgement = judge(apigwv2RouteAuthorization, route.facts, tags, PARAMS, SETTINGS);
    // Assess
    expect(judgement.verdict).to.deep.equal({
      compliance: 'COMPLIANT',
      code: 'route-authorization-none',
      annotation: 'Exception: public catalogue listing (no expiry)',
    });
    expect(judgement.exception).to.deep.include({ kind: 'valid', wide: false });
  });

  it('labels an exception on the API without a route part "API-wide exception"', () => {
    // Prepare
    const route = sweptRoute(0, 0, 'NONE');
    // Act
    const verdict = decide(
      apigwv2RouteAuthorization,
      route.facts,
      { 'authn-exception/APIGateway.8': 'deliberately public status API' },
      PARAMS,
      SETTINGS,
    );
    // Assess
    expect(verdict.annotation).to.equal(
      'Exception: deliberately public status API (API-wide exception, no expiry)',
    );
  });

  it('reads tags on demand only for a resource that would fail', async () => {
    // Prepare
    const tags = sinon.stub().resolves({});
    const passing = { ...sweptRoute(0, 0, 'JWT'), tags };
    const failing = { ...sweptRoute(0, 1, 'NONE'), tags };
    // Act
    await decideSwept(apigwv2RouteAuthorization, passing, PARAMS, SETTINGS);
    const callsAfterPassing = tags.callCount;
    await decideSwept(apigwv2RouteAuthorization, failing, PARAMS, SETTINGS);
    // Assess
    expect(callsAfterPassing).to.equal(0);
    expect(tags.callCount).to.equal(1);
  });

  it('fails closed when the tags cannot be read, saying so', async () => {
    // Prepare
    const resource = {
      ...sweptRoute(0, 1, 'NONE'),
      tags: () =>
        Promise.reject(
          Object.assign(new Error('not authorized to perform ListTagsForResource'), { name: 'AccessDenied' }),
        ),
    };
    // Act
    const verdict = await decideSwept(apigwv2RouteAuthorization, resource, PARAMS, SETTINGS);
    // Assess
    expect(verdict.compliance).to.equal('NON_COMPLIANT');
    expect(verdict.code).to.equal('exception-tags-unreadable');
    expect(verdict.annotation).to.include('Exception tags could not be read: AccessDenied');
    expect(verdict.annotation.length).to.be.at.most(256);
  });
});
