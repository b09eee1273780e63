/**
 * The route sweep's request rate: GetApis and GetRoutes draw from one token bucket (API Gateway's account-wide
 * management quota), so four GetRoutes in flight never send more than the rate allows.
 */
import { ApiGatewayV2Client, GetApisCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import {
  API_GATEWAY_MANAGEMENT_LIMIT,
  API_GATEWAY_RATE_VARIABLE,
  sweepRoutes,
} from '../../../rules/apigwv2-route-authorization/sweep';
import type { SweepContext } from '../../../rules/core/types';
import { ACCOUNT, REGION } from '../../helpers/events';

const CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };

describe('apigwv2-route-authorization sweep: request rate', () => {
  let apigw: AwsClientStub<ApiGatewayV2Client>;
  const saved = process.env[API_GATEWAY_RATE_VARIABLE];

  beforeEach(() => {
    apigw = mockClient(ApiGatewayV2Client);
  });

  afterEach(() => {
    apigw.restore();
    if (saved === undefined) Reflect.deleteProperty(process.env, API_GATEWAY_RATE_VARIABLE);
    else process.env[API_GATEWAY_RATE_VARIABLE] = saved;
  });

  it('defaults to the published quota: 10 requests a second for GetApis and GetRoutes together', () => {
    // Assess
    expect(API_GATEWAY_MANAGEMENT_LIMIT).to.deep.equal({ ratePerSecond: 10, burst: 10 });
  });

  it('spaces GetApis and GetRoutes by one shared rate, whatever the concurrency', async () => {
    // Prepare: 40 requests/s (burst 40) and 1 GetApis + 79 GetRoutes: the last 40 must wait a second in all.
    process.env[API_GATEWAY_RATE_VARIABLE] = '40';
    const sent: number[] = [];
    const apis = Array.from({ length: 79 }, (_, i) => ({
      ApiId: `api${i}`,
      Name: `api-${i}`,
      ProtocolType: 'HTTP' as const,
      RouteSelectionExpression: '$request.method $request.path',
    }));
    apigw.on(GetApisCommand).callsFake(() => {
      sent.push(performance.now());
      return { Items: apis };
    });
    apigw.on(GetRoutesCommand).callsFake(() => {
      sent.push(performance.now());
      return { Items: [{ RouteId: 'r1', RouteKey: 'GET /', AuthorizationType: 'JWT' }] };
    });
    // Act
    const swept = await sweepRoutes(new ApiGatewayV2Client({ region: REGION }), CONTEXT);
    // Assess
    expect(swept).to.have.lengthOf(79);
    expect(sent).to.have.lengthOf(80);
    const first = sent[0] ?? 0;
    // Within any first t seconds at most 40 + 40·t requests: check every request against that bound.
    sent.forEach((at, index) => {
      expect(index + 1, `request ${index + 1} at ${(at - first).toFixed(0)} ms`).to.be.at.most(
        40 + (40 * (at - first + 5)) / 1000,
      );
    });
    expect((sent[79] ?? 0) - first).to.be.at.least(950);
  });

  it('refuses a rate override that is not a positive number, before any call', async () => {
    // Prepare
    process.env[API_GATEWAY_RATE_VARIABLE] = 'unlimited';
    // Act
    const outcome = await sweepRoutes(new ApiGatewayV2Client({ region: REGION }), CONTEXT).then(
      () => 'swept',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    // Assess
    expect(outcome).to.match(/AUTHN_PACK_APIGATEWAY_REQUESTS_PER_SECOND must be a positive number/);
    expect(apigw.calls()).to.have.lengthOf(0);
  });
});
