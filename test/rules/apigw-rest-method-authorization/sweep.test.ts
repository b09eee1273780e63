/**
 * The REST method sweep in parts (one per REST API): what listing calls, what each part reads, that the whole sweep
 * is the parts read whole, and that every call of every part draws from one bucket at this function's share of API
 * Gateway's account quota, on the clock the runtime gives (as the route sweep does).
 */
import {
  APIGatewayClient,
  GetResourcesCommand,
  GetRestApisCommand,
  type GetResourcesCommandInput,
  type RestApi,
} from '@aws-sdk/client-api-gateway';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { sweepMethodParts, sweepMethods } from '../../../rules/apigw-rest-method-authorization/sweep';
import { API_GATEWAY_RATE_VARIABLE } from '../../../rules/core/api-gateway-quota';
import type { Clock } from '../../../rules/core/rate-limit';
import type { SweepContext } from '../../../rules/core/types';
import { ACCOUNT, REGION } from '../../helpers/events';

const CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };

/** GetRestApis items as API Gateway returns them. */
const apis: RestApi[] = ['shop', 'ledger', 'billing'].map((name, index) => ({
  id: `${name.slice(0, 4)}00000${index}`,
  name: `${name}-rest`,
  endpointConfiguration: { types: ['REGIONAL'] },
  rootResourceId: `root0${index}`,
  tags: { team: name },
}));

/** GetResources with embed=methods for one API: the root and /orders with an open GET and an IAM POST. */
function resourcesOf(restApiId: string) {
  return {
    items: [
      { id: `root-${restApiId}`, path: '/' },
      {
        id: `ord-${restApiId}`,
        parentId: `root-${restApiId}`,
        pathPart: 'orders',
        path: '/orders',
        resourceMethods: {
          GET: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false },
          POST: { httpMethod: 'POST', authorizationType: 'AWS_IAM', apiKeyRequired: false },
        },
      },
    ],
  };
}

/** A clock that moves only when the limiter sleeps: times are what the rate allows, not how fast the mock answers. */
function fakeClock(): Clock & { at: number } {
  const clock = {
    at: 0,
    now: () => clock.at,
    sleep: (ms: number) => {
      clock.at += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

describe('apigw-rest-method-authorization sweep: parts (no ceiling)', () => {
  let apigateway: AwsClientStub<APIGatewayClient>;
  const client = new APIGatewayClient({ region: REGION });
  const saved = process.env[API_GATEWAY_RATE_VARIABLE];

  beforeEach(() => {
    apigateway = mockClient(APIGatewayClient);
    apigateway.on(GetRestApisCommand).resolves({ items: apis });
    apigateway
      .on(GetResourcesCommand)
      .callsFake((input: GetResourcesCommandInput) => resourcesOf(input.restApiId ?? ''));
  });

  afterEach(() => {
    apigateway.restore();
    if (saved === undefined) Reflect.deleteProperty(process.env, API_GATEWAY_RATE_VARIABLE);
    else process.env[API_GATEWAY_RATE_VARIABLE] = saved;
  });

  it('lists one part per REST API, keyed by its id, with GetRestApis alone', async () => {
    // Act
    const parts = await sweepMethodParts(client, CONTEXT);
    // Assess
    expect(parts.map((part) => part.key)).to.deep.equal(apis.map((api) => api.id));
    expect(apigateway.commandCalls(GetRestApisCommand)).to.have.length(1);
    expect(apigateway.commandCalls(GetResourcesCommand)).to.have.length(0);
  });

  it("reads one API's methods when its part is read, each with the API as parent", async () => {
    // Prepare
    const parts = await sweepMethodParts(client, CONTEXT);
    // Act
    const read = await parts[1]?.read();
    // Assess
    expect(
      apigateway.commandCalls(GetResourcesCommand).map((call) => call.args[0].input.restApiId),
    ).to.deep.equal(['ledg000001']);
    expect(read?.map((resource) => [resource.resourceId, resource.facts.authorizationType])).to.deep.equal([
      [`arn:aws:apigateway:${REGION}::/restapis/ledg000001/resources/ord-ledg000001/methods/GET`, 'NONE'],
      [`arn:aws:apigateway:${REGION}::/restapis/ledg000001/resources/ord-ledg000001/methods/POST`, 'AWS_IAM'],
    ]);
    expect(read?.[0]?.parent).to.deep.equal({
      resourceType: 'AWS::ApiGateway::RestApi',
      resourceId: 'ledg000001',
      resourceName: 'ledger-rest',
    });
    expect(read?.[0]?.tags).to.deep.equal({ team: 'ledger' });
  });

  it('sweeps whole exactly what the parts read, in the same order', async () => {
    // Prepare
    const parts = await sweepMethodParts(client, CONTEXT);
    const byParts = (await Promise.all(parts.map((part) => part.read()))).flat();
    // Act
    const whole = await sweepMethods(client, CONTEXT);
    // Assess
    expect(whole.map((resource) => resource.resourceId)).to.deep.equal(
      byParts.map((resource) => resource.resourceId),
    );
    expect(whole).to.have.length(6);
  });

  it('fails the listing, before any part, when GetRestApis returns an API without an id', async () => {
    // Prepare
    apigateway.on(GetRestApisCommand).resolves({ items: [...apis, { name: 'nameless' }] });
    // Act
    const outcome = await sweepMethodParts(client, CONTEXT).then(
      () => 'listed',
      (error: unknown) => (error as Error).message,
    );
    // Assess
    expect(outcome).to.equal('GetRestApis returned an API without an id');
  });

  it("draws every part's calls from one bucket at the function's share of the quota, on the runtime's clock", async () => {
    // Prepare: 2.5 requests a second (the default share split between two sweeps), burst 2; 1 GetRestApis + 3
    // GetResources, the parts read at once: request n may go no earlier than (n - 2) / 2.5 seconds.
    process.env[API_GATEWAY_RATE_VARIABLE] = '2.5';
    const clock = fakeClock();
    const sent: number[] = [];
    apigateway.on(GetRestApisCommand).callsFake(() => {
      sent.push(clock.at);
      return { items: apis };
    });
    apigateway.on(GetResourcesCommand).callsFake((input: GetResourcesCommandInput) => {
      sent.push(clock.at);
      return resourcesOf(input.restApiId ?? '');
    });
    // Act
    const parts = await sweepMethodParts(client, { ...CONTEXT, clock });
    await Promise.all(parts.map((part) => part.read()));
    // Assess
    expect(sent).to.have.length(4);
    sent.forEach((at, index) => {
      expect(at, `request ${index + 1}`).to.be.at.least(Math.max(0, ((index + 1 - 2) / 2.5) * 1000) - 1);
    });
    expect(sent.at(-1)).to.be.at.least(800 - 1);
  });
});
