import { expect } from 'chai';
import {
  ROUTE_EVENT_NAMES,
  apiIdOfArn,
  routeChangedKeys,
} from '../../../rules/apigwv2-route-authorization/changeEvents';
import { parseCloudTrailEvent, type ChangeMapping } from '../../../rules/core/change-events';
import {
  apiGatewayCall,
  cloudTrailFixtures,
  itMapsEachCall,
  type MappingCase,
} from '../../helpers/change-events';
import { REGION } from '../../helpers/events';

const API = 'a1b2c3d4e5';
const ROUTE_ARN = `arn:aws:apigateway:${REGION}::/apis/${API}/routes/r7s8t9u`;

/**
 * Whole records in the shape CloudTrail wrote for real HTTP API calls (a published trail of the Terraform provider's
 * aws-sdk-go-v2 apigatewayv2 client: eventSource apigateway.amazonaws.com, the path parameters `apiId` and `routeId`
 * in requestParameters, the route in responseElements), with our own ids.
 */
const RECORDED = cloudTrailFixtures('cloudtrail-apigatewayv2.json');
const RECORDED_API = 'pq7r8s9t0u';
const RECORDED_CASES: readonly MappingCase[] = [
  {
    fixture: 'CreateRoute from the Terraform provider',
    says: 'changes its API',
    expected: 'changed',
    keys: [{ key: RECORDED_API }],
  },
  {
    fixture: 'UpdateRoute from the Terraform provider',
    says: 'changes its API',
    expected: 'changed',
    keys: [{ key: RECORDED_API }],
  },
  {
    fixture: 'DeleteRoute from the Terraform provider',
    says: 'names the removed route by its ARN',
    expected: 'changed',
    keys: [
      {
        key: RECORDED_API,
        removedIds: [`arn:aws:apigateway:${REGION}::/apis/${RECORDED_API}/routes/id6oeiq`],
      },
    ],
  },
];

const CASES: readonly {
  name: string;
  event: Record<string, unknown>;
  expected: ChangeMapping['kind'];
  keys?: unknown;
}[] = [
  {
    name: 'CreateRoute names its API in the path parameters',
    event: apiGatewayCall(
      'CreateRoute',
      { apiId: API, routeKey: 'POST /orders', authorizationType: 'NONE', target: 'integrations/i1j2k3l' },
      { apiKeyRequired: false, authorizationType: 'NONE', routeId: 'r7s8t9u', routeKey: 'POST /orders' },
    ),
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    name: 'UpdateRoute changes the route of its API',
    event: apiGatewayCall('UpdateRoute', { apiId: API, routeId: 'r7s8t9u', authorizationType: 'NONE' }),
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    name: 'DeleteRoute names the removed route by the ARN the rule reports',
    event: apiGatewayCall('DeleteRoute', { apiId: API, routeId: 'r7s8t9u' }),
    expected: 'changed',
    keys: [{ key: API, removedIds: [ROUTE_ARN] }],
  },
  {
    name: 'CreateApi carries the new API id only in its response',
    event: apiGatewayCall(
      'CreateApi',
      { name: 'orders', protocolType: 'HTTP' },
      {
        apiId: API,
        name: 'orders',
        protocolType: 'HTTP',
        apiEndpoint: `https://${API}.execute-api.${REGION}.amazonaws.com`,
      },
    ),
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    name: 'ImportApi carries the new API id only in its response',
    event: apiGatewayCall(
      'ImportApi',
      { basepath: 'ignore', failOnWarnings: true },
      { apiId: API, name: 'orders' },
    ),
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    name: 'UpdateApi changes every route of the API (a WebSocket route is judged through $connect)',
    event: apiGatewayCall('UpdateApi', { apiId: API, disableExecuteApiEndpoint: true }),
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    name: 'DeleteApi removes routes it does not name',
    event: apiGatewayCall('DeleteApi', { apiId: API }),
    expected: 'changed',
    keys: [{ key: API, removesUnnamed: true }],
  },
  {
    name: 'ReimportApi replaces the definition, so routes can go unnamed',
    event: apiGatewayCall('ReimportApi', { apiId: API, basepath: 'ignore' }, { apiId: API }),
    expected: 'changed',
    keys: [{ key: API, removesUnnamed: true }],
  },
  {
    name: 'TagResource on an HTTP API changes its exception tags',
    event: apiGatewayCall('TagResource', {
      resourceArn: `arn:aws:apigateway:${REGION}::/apis/${API}`,
      tags: { 'authn-exception/APIGateway.8': 'public webhook, HMAC-signed' },
    }),
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    name: 'UntagResource on an HTTP API changes its exception tags',
    event: apiGatewayCall('UntagResource', {
      resourceArn: `arn:aws:apigateway:${REGION}::/apis/${API}`,
      tagKeys: ['authn-exception/APIGateway.8'],
    }),
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    name: 'TagResource on a REST API (v1 shares the event name) is not about routes',
    event: apiGatewayCall('TagResource', {
      resourceArn: `arn:aws:apigateway:${REGION}::/restapis/x9y8z7`,
      tags: {},
    }),
    expected: 'unrelated',
  },
  {
    name: 'TagResource on a stage is not about routes',
    event: apiGatewayCall('TagResource', {
      resourceArn: `arn:aws:apigateway:${REGION}::/apis/${API}/stages/prod`,
    }),
    expected: 'unrelated',
  },
  {
    name: 'a record without the API id (requestParameters withheld) means: sweep everything',
    event: apiGatewayCall('UpdateRoute', null),
    expected: 'unknown',
  },
  {
    name: 'TagResource without resourceArn means: sweep everything',
    event: apiGatewayCall('TagResource', {}),
    expected: 'unknown',
  },
];

describe('APIGateway.8 change events (CloudTrail via EventBridge → changed API)', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      // Prepare
      const call = parseCloudTrailEvent(testCase.event);
      // Act
      const mapping = routeChangedKeys(call);
      // Assess
      expect(mapping.kind).to.equal(testCase.expected);
      if (testCase.keys !== undefined && mapping.kind === 'changed')
        expect(mapping.keys).to.deep.equal(testCase.keys);
    });
  }

  describe('records shaped as CloudTrail writes them', () => {
    itMapsEachCall(RECORDED_CASES, RECORDED.event, routeChangedKeys);
  });

  it('declares every event name the issue lists', () => {
    expect([...ROUTE_EVENT_NAMES]).to.have.members([
      'CreateRoute',
      'UpdateRoute',
      'DeleteRoute',
      'CreateApi',
      'UpdateApi',
      'DeleteApi',
      'ImportApi',
      'ReimportApi',
      'TagResource',
      'UntagResource',
    ]);
  });

  it('reads the API id from an API ARN in any partition, and nothing else', () => {
    expect(apiIdOfArn('arn:aws-cn:apigateway:cn-north-1::/apis/q1w2e3')).to.equal('q1w2e3');
    expect(apiIdOfArn('arn:aws:apigateway:eu-west-1::/domainnames/api.example.com')).to.be.undefined;
  });
});
