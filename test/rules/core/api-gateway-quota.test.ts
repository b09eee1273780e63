/** The API Gateway quota share: one account-wide quota, split between the sweeps that call it. */
import { expect } from 'chai';
import {
  API_GATEWAY_RATE_VARIABLE,
  apiGatewaySweepLimit,
  sweepRate,
  sweepsApiGateway,
} from '../../../rules/core/api-gateway-quota';
import { RULES } from '../../../rules/index';

describe('rules/core/api-gateway-quota', () => {
  it('counts the route and the REST method sweeps as the ones sharing API Gateway’s quota', () => {
    // Act
    const sharing = RULES.filter((rule) => sweepsApiGateway(rule)).map((rule) => rule.control);
    // Assess
    expect(sharing).to.have.members(['APIGateway.8', 'AUTHN-APIGW-REST']);
  });

  const cases: [number, number, { ratePerSecond: number; burst: number }][] = [
    [0.5, 2, { ratePerSecond: 2.5, burst: 2 }],
    [1, 2, { ratePerSecond: 5, burst: 5 }],
    [0.3, 2, { ratePerSecond: 1.5, burst: 1 }],
    [0.5, 1, { ratePerSecond: 5, burst: 5 }],
  ];
  for (const [share, sweeps, expected] of cases) {
    it(`gives each of ${sweeps} sweeps ${expected.ratePerSecond}/s of a ${share} share of 10/s`, () => {
      // Assess
      expect(sweepRate(share, sweeps)).to.deep.equal(expected);
    });
  }

  it('refuses a share of none or more than the whole quota', () => {
    // Assess
    expect(() => sweepRate(0, 2)).to.throw(RangeError);
    expect(() => sweepRate(1.2, 2)).to.throw(RangeError);
  });

  it('uses the rate the function was given, else the whole quota at a burst of 10 (a sweep run by hand)', () => {
    // Assess
    expect(apiGatewaySweepLimit({ [API_GATEWAY_RATE_VARIABLE]: '2.5' })).to.deep.equal({
      ratePerSecond: 2.5,
      burst: 2,
    });
    expect(apiGatewaySweepLimit({})).to.deep.equal({ ratePerSecond: 10, burst: 10 });
  });
});
