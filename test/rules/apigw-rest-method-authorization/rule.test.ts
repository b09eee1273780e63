import {
  APIGatewayClient,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  type Resource,
  type RestApi,
} from '@aws-sdk/client-api-gateway';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { decideSwept } from '../../../rules/core/decide';
import {
  methodRemediation,
  methodRemediationHint,
} from '../../../rules/apigw-rest-method-authorization/decision';
import type { MethodFacts } from '../../../rules/apigw-rest-method-authorization/facts';
import { apigwRestMethodAuthorization as rule } from '../../../rules/apigw-rest-method-authorization/rule';
import { REGION } from '../../helpers/events';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';

const EXCEPTIONS = testExceptions('2026-10-03');
const CONTEXT = SWEEP_CONTEXT;
const DEFAULTS = { ReportUnchanged: false, RefreshAfterDays: 30, ExemptCorsPreflightMethods: false };
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });

function method(overrides: Partial<MethodFacts> = {}): MethodFacts {
  return {
    apiId: 'a1b2c3d4e5',
    apiName: 'shop-rest',
    resourceId: 'r2d2c3',
    path: '/orders',
    httpMethod: 'GET',
    authorizationType: 'AWS_IAM',
    apiKeyRequired: false,
    endpointTypes: ['REGIONAL'],
    region: REGION,
    ...overrides,
  };
}

describe('AUTHN-APIGW-REST authn-apigw-rest-method-authorization', () => {
  describe('evaluate: the verdict table', () => {
    tester.run({
      valid: [
        {
          title: 'AWS_IAM → COMPLIANT',
          facts: method(),
          code: 'rest-method-authorization-present',
          annotation:
            /^Method "GET \/orders" of REST API "shop-rest" \(a1b2c3d4e5\) requires AWS_IAM authorization\.$/,
        },
        {
          title: 'COGNITO_USER_POOLS → COMPLIANT',
          facts: method({ authorizationType: 'COGNITO_USER_POOLS' }),
          code: 'rest-method-authorization-present',
          annotation: /requires COGNITO_USER_POOLS/,
        },
        {
          title: 'CUSTOM (Lambda authorizer) → COMPLIANT',
          facts: method({ authorizationType: 'CUSTOM' }),
          code: 'rest-method-authorization-present',
          annotation: /requires CUSTOM/,
        },
        {
          title: 'OPTIONS with NONE and ExemptCorsPreflightMethods=true → COMPLIANT, saying so',
          facts: method({ httpMethod: 'OPTIONS', authorizationType: 'NONE' }),
          params: { ExemptCorsPreflightMethods: 'true' },
          code: 'rest-method-cors-preflight-exempt',
          annotation: /^Exception: CORS preflight method exempted by ExemptCorsPreflightMethods=true/,
        },
      ],
      invalid: [
        {
          title: 'NONE → NON_COMPLIANT',
          facts: method({ authorizationType: 'NONE' }),
          code: 'rest-method-authorization-none',
          annotation:
            /has no authorization \(NONE\)\. Anyone can call it\. Set AWS_IAM, COGNITO_USER_POOLS or a Lambda/,
        },
        {
          title: 'NONE with apiKeyRequired → NON_COMPLIANT: a key is not an identity',
          facts: method({ authorizationType: 'NONE', apiKeyRequired: true }),
          code: 'rest-method-api-key-only',
          annotation: /An API key is required, but a key is a shared string, not an identity\./,
        },
        {
          title: 'no authorization type → NON_COMPLIANT (the default is NONE)',
          facts: method({ authorizationType: undefined }),
          code: 'rest-method-authorization-none',
          annotation: /has no authorization \(NONE\)/,
        },
        {
          title: 'an unknown type → NON_COMPLIANT (fail closed)',
          facts: method({ authorizationType: 'JWT' }),
          code: 'rest-method-authorization-unrecognised',
          annotation: /unrecognised authorization type "JWT"/,
        },
        {
          title: 'OPTIONS with NONE fails by default',
          facts: method({ httpMethod: 'OPTIONS', authorizationType: 'NONE' }),
          code: 'rest-method-authorization-none',
          annotation: /"OPTIONS \/orders" .* has no authorization/,
        },
        {
          title: 'the CORS switch exempts only OPTIONS',
          facts: method({ authorizationType: 'NONE' }),
          params: { ExemptCorsPreflightMethods: 'true' },
          code: 'rest-method-authorization-none',
          annotation: /has no authorization/,
        },
      ],
    });

    it('ranks a PRIVATE-only API after the internet-facing ones, and unknown endpoint types as public', () => {
      // Act and Assess
      expect(rule.isInternetFacing?.(method({ endpointTypes: ['PRIVATE'] }))).to.equal(false);
      expect(rule.isInternetFacing?.(method({ endpointTypes: ['EDGE'] }))).to.equal(true);
      expect(rule.isInternetFacing?.(method({ endpointTypes: [] }))).to.equal(true);
    });

    it('remediation patches the method and redeploys; the hint reads API, resource and verb from the ARN', () => {
      // Act
      const command = methodRemediation(method({ authorizationType: 'NONE' }));
      const hint = methodRemediationHint({
        resourceType: 'AWS::ApiGateway::Method',
        resourceId: `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/resources/r2d2c3/methods/POST`,
        region: REGION,
      });
      // Assess
      expect(command).to.match(
        /^aws apigateway --region eu-west-1 update-method --rest-api-id a1b2c3d4e5 --resource-id r2d2c3 --http-method GET --patch-operations op=replace,path=\/authorizationType,value=AWS_IAM /,
      );
      expect(command).to.include('create-deployment --rest-api-id a1b2c3d4e5 --stage-name <stage>');
      expect(hint).to.include('--rest-api-id a1b2c3d4e5 --resource-id r2d2c3 --http-method POST');
    });
  });

  describe('exceptions: tags on the REST API, the method as qualifier', () => {
    const open = method({ path: '/health', resourceId: 'h3alth', authorizationType: 'NONE' });
    tester.runExceptions({
      failing: open,
      valid: [
        {
          title: 'qualified by METHOD and path → COMPLIANT',
          tags: { 'authn-exception/AUTHN-APIGW-REST/GET /health': 'load balancer health probe' },
          code: 'rest-method-authorization-none',
          annotation: /^Exception: load balancer health probe \(no expiry\)$/,
        },
        {
          title: 'qualified by METHOD and resource id → COMPLIANT',
          tags: { 'authn-exception/AUTHN-APIGW-REST/GET h3alth': 'load balancer health probe' },
          code: 'rest-method-authorization-none',
          annotation: /^Exception: load balancer health probe/,
        },
        {
          title: 'API-wide → COMPLIANT, saying it is API-wide',
          tags: { 'authn-exception/AUTHN-APIGW-REST': 'public catalogue API, read only' },
          code: 'rest-method-authorization-none',
          annotation: /\(API-wide exception, no expiry\)$/,
        },
      ],
      invalid: [
        {
          title: 'another method named → NON_COMPLIANT',
          tags: { 'authn-exception/AUTHN-APIGW-REST/POST /health': 'load balancer health probe' },
          code: 'rest-method-authorization-none',
          annotation: /has no authorization/,
        },
      ],
    });
  });

  describe('sweep: API Gateway-shaped answers', () => {
    let apigateway: AwsClientStub<APIGatewayClient>;
    const client = new APIGatewayClient({ region: REGION });
    beforeEach(() => {
      apigateway = mockClient(APIGatewayClient);
    });
    afterEach(() => {
      apigateway.restore();
    });

    const shop: RestApi = {
      id: 'a1b2c3d4e5',
      name: 'shop-rest',
      endpointConfiguration: { types: ['REGIONAL'] },
      tags: { 'authn-exception/AUTHN-APIGW-REST/GET /health': 'load balancer health probe' },
      rootResourceId: 'root01',
    };
    const ledger: RestApi = {
      id: 'l3dg3r0001',
      name: 'ledger-private',
      endpointConfiguration: { types: ['PRIVATE'] },
    };
    const health: Resource = {
      id: 'h3alth',
      parentId: 'root01',
      pathPart: 'health',
      path: '/health',
      resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true } },
    };
    const orders: Resource = {
      id: 'r2d2c3',
      parentId: 'root01',
      pathPart: 'orders',
      path: '/orders',
      // As GetResources answers without embed: the verbs only.
      resourceMethods: { POST: {} },
    };

    it('pages GetRestApis and GetResources by position with embed=methods, and names each method by its ARN', async () => {
      // Prepare
      const positions: (string | undefined)[] = [];
      apigateway.on(GetRestApisCommand).callsFake((input: { position?: string }) => {
        positions.push(input.position);
        return input.position === undefined ? { items: [shop], position: 'p2' } : { items: [ledger] };
      });
      const embeds: unknown[] = [];
      apigateway
        .on(GetResourcesCommand)
        .callsFake((input: { restApiId: string; position?: string; embed?: string[] }) => {
          embeds.push(input.embed);
          if (input.restApiId === 'l3dg3r0001')
            return {
              items: [
                {
                  id: 'e1',
                  path: '/entries',
                  resourceMethods: { GET: { httpMethod: 'GET', authorizationType: 'NONE' } },
                },
              ],
            };
          return input.position === undefined ? { items: [health], position: 'r2' } : { items: [orders] };
        });
      apigateway
        .on(GetMethodCommand, { restApiId: 'a1b2c3d4e5', resourceId: 'r2d2c3', httpMethod: 'POST' })
        .resolves({ httpMethod: 'POST', authorizationType: 'AWS_IAM', apiKeyRequired: false });
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(positions).to.deep.equal([undefined, 'p2']);
      expect(embeds.every((embed) => JSON.stringify(embed) === '["methods"]')).to.equal(true);
      expect(swept.map((resource) => [resource.resourceId, resource.resourceName])).to.deep.equal([
        [
          `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/resources/h3alth/methods/GET`,
          'shop-rest GET /health',
        ],
        [
          `arn:aws:apigateway:${REGION}::/restapis/a1b2c3d4e5/resources/r2d2c3/methods/POST`,
          'shop-rest POST /orders',
        ],
        [
          `arn:aws:apigateway:${REGION}::/restapis/l3dg3r0001/resources/e1/methods/GET`,
          'ledger-private GET /entries',
        ],
      ]);
      expect(apigateway.commandCalls(GetMethodCommand)).to.have.length(1);
      const verdicts = await Promise.all(
        swept.map((resource) => decideSwept(rule, resource, DEFAULTS, EXCEPTIONS)),
      );
      expect(verdicts.map((verdict) => verdict.compliance)).to.deep.equal([
        'COMPLIANT',
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
      expect(swept.map((resource) => rule.isInternetFacing?.(resource.facts))).to.deep.equal([
        true,
        true,
        false,
      ]);
      expect(swept[0]?.parent).to.deep.equal({
        resourceType: 'AWS::ApiGateway::RestApi',
        resourceId: 'a1b2c3d4e5',
        resourceName: 'shop-rest',
      });
    });

    it('fails the sweep when a method cannot be read, rather than judging it on a missing field', async () => {
      // Prepare
      apigateway.on(GetRestApisCommand).resolves({ items: [shop] });
      apigateway.on(GetResourcesCommand).resolves({ items: [orders] });
      apigateway
        .on(GetMethodCommand)
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
      // Act
      const error = await rule.sweep(client, CONTEXT).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      // Assess
      expect((error as Error).name).to.equal('TooManyRequestsException');
    });
  });
});
