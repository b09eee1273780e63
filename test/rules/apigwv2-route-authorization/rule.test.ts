import {
  ApiGatewayV2Client,
  GetApisCommand,
  GetRoutesCommand,
  GetTagsCommand,
  type Api,
  type GetApisCommandInput,
  type GetApisCommandOutput,
  type GetRoutesCommandInput,
  type GetRoutesCommandOutput,
  type Route,
} from '@aws-sdk/client-apigatewayv2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { routeRemediation } from '../../../rules/apigwv2-route-authorization/decision';
import type { RouteFacts } from '../../../rules/apigwv2-route-authorization/facts';
import { apigwv2RouteAuthorization as rule } from '../../../rules/apigwv2-route-authorization/rule';
import { decideSwept } from '../../../rules/core/decide';
import { ParameterError } from '../../../rules/core/errors';
import { createConfigRuleHandler } from '../../../rules/core/handler';
import { silentLog } from '../../../rules/core/log';
import { parseParameters } from '../../../rules/core/parameters';
import { ACCOUNT, REGION, SCHEDULED_AT, scheduledEvent } from '../../helpers/events';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';

const TODAY = '2026-10-04';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
const params = (raw: Record<string, string> = {}) => parseParameters(rule.parameters, raw).rule;
const DEFAULTS = params();
const JUSTIFICATION = 'load balancer health probe, no data returned';
const VALID_EXCEPTION = { 'authn-exception/APIGateway.8': 'deliberately public status API' };
const EXPIRED_EXCEPTION = { ...VALID_EXCEPTION, 'authn-exception-expires/APIGateway.8': '2020-01-01' };
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });

function httpRoute(overrides: Partial<RouteFacts> = {}): RouteFacts {
  return {
    apiId: 'a1b2c3d4e5',
    apiName: 'orders-api',
    protocolType: 'HTTP',
    routeId: 'bija49a',
    routeKey: 'GET /orders',
    authorizationType: 'NONE',
    apiHasConnectRoute: false,
    region: REGION,
    ...overrides,
  };
}

function webSocketRoute(overrides: Partial<RouteFacts> = {}): RouteFacts {
  return httpRoute({
    apiId: 'w9x8y7z6v5',
    apiName: 'chat-ws',
    protocolType: 'WEBSOCKET',
    routeId: 'cayxufa',
    routeKey: '$connect',
    apiHasConnectRoute: true,
    ...overrides,
  });
}

describe('APIGateway.8 authn-apigwv2-route-authorization', () => {
  describe('parameters', () => {
    it("takes AWS's own authorizationType (AWS_IAM, CUSTOM, JWT) and refuses NONE", () => {
      // Act
      const parsed = params({ authorizationType: 'JWT', ExemptCorsPreflightRoutes: 'true' });
      const refuse = () => params({ authorizationType: 'NONE' });
      // Assess
      expect(parsed).to.deep.equal({
        authorizationType: 'JWT',
        ExemptCorsPreflightRoutes: true,
        ReportUnchanged: false,
        RefreshAfterDays: 30,
      });
      expect(refuse).to.throw(ParameterError, /authorizationType: "NONE" is not one of AWS_IAM, CUSTOM, JWT/);
    });

    it('defaults to no required type and OPTIONS routes not exempt', () => {
      // Assess
      expect(DEFAULTS).to.deep.equal({
        authorizationType: undefined,
        ExemptCorsPreflightRoutes: false,
        ReportUnchanged: false,
        RefreshAfterDays: 30,
      });
    });
  });

  describe('evaluate: HTTP API routes', () => {
    tester.run({
      valid: [
        {
          title: 'AWS_IAM → COMPLIANT',
          facts: httpRoute({ authorizationType: 'AWS_IAM' }),
          code: 'route-authorization-present',
          annotation:
            /^Route "GET \/orders" of API "orders-api" \(a1b2c3d4e5\) requires AWS_IAM authorization\.$/,
        },
        {
          title: 'JWT → COMPLIANT',
          facts: httpRoute({ authorizationType: 'JWT' }),
          code: 'route-authorization-present',
          annotation: /requires JWT/,
        },
        {
          title: 'CUSTOM → COMPLIANT',
          facts: httpRoute({ authorizationType: 'CUSTOM' }),
          code: 'route-authorization-present',
          annotation: /requires CUSTOM/,
        },
      ],
      invalid: [
        {
          title: 'AuthorizationType NONE → NON_COMPLIANT, naming route key and API, with the next step',
          facts: httpRoute(),
          code: 'route-authorization-none',
          annotation:
            /^Route "GET \/orders" of API "orders-api" \(a1b2c3d4e5\) has no authorization \(NONE\): anyone can call it\. Attach a JWT, AWS_IAM or Lambda \(CUSTOM\) authorizer/,
        },
        {
          title: 'AuthorizationType absent → NON_COMPLIANT (read as NONE)',
          facts: httpRoute({ authorizationType: undefined }),
          code: 'route-authorization-none',
          annotation: /has no authorization \(NONE\)/,
        },
        {
          title: 'the managed $default route of a quick-create API is still judged: NONE → NON_COMPLIANT',
          facts: httpRoute({ routeKey: '$default' }),
          code: 'route-authorization-none',
          annotation: /Route "\$default" .* has no authorization/,
        },
        {
          title: 'an authorization type API Gateway does not define → NON_COMPLIANT (fail closed)',
          facts: httpRoute({ authorizationType: 'COGNITO' }),
          code: 'route-authorization-unrecognised',
          annotation: /unrecognised authorization type "COGNITO"/,
        },
        {
          title: 'an API without a protocol type is judged as HTTP: NONE → NON_COMPLIANT',
          facts: httpRoute({ protocolType: undefined }),
          code: 'route-authorization-none',
          annotation: /has no authorization \(NONE\)/,
        },
      ],
    });
  });

  describe('evaluate: the authorizationType parameter', () => {
    tester.run({
      valid: [
        {
          title: 'JWT required, route uses JWT → COMPLIANT',
          facts: httpRoute({ authorizationType: 'JWT' }),
          params: { authorizationType: 'JWT' },
          code: 'route-authorization-present',
          annotation: /requires JWT authorization/,
        },
      ],
      invalid: [
        {
          title: 'JWT required, route uses AWS_IAM → NON_COMPLIANT naming the parameter',
          facts: httpRoute({ authorizationType: 'AWS_IAM' }),
          params: { authorizationType: 'JWT' },
          code: 'route-authorization-not-required-type',
          annotation:
            /uses AWS_IAM, but this rule requires JWT \(parameter authorizationType\)\. Switch the route to JWT/,
        },
        {
          title: 'AWS_IAM required, route uses CUSTOM → NON_COMPLIANT',
          facts: httpRoute({ authorizationType: 'CUSTOM' }),
          params: { authorizationType: 'AWS_IAM' },
          code: 'route-authorization-not-required-type',
          annotation: /uses CUSTOM, but this rule requires AWS_IAM/,
        },
        {
          title: 'JWT required, route has NONE → NON_COMPLIANT',
          facts: httpRoute(),
          params: { authorizationType: 'JWT' },
          code: 'route-authorization-none',
          annotation: /has no authorization \(NONE\)/,
        },
        {
          title:
            'on WebSocket $connect the parameter applies too: CUSTOM when AWS_IAM is required → NON_COMPLIANT',
          facts: webSocketRoute({ authorizationType: 'CUSTOM' }),
          params: { authorizationType: 'AWS_IAM' },
          code: 'route-authorization-not-required-type',
          annotation: /Route "\$connect" of API "chat-ws" .* uses CUSTOM, but this rule requires AWS_IAM/,
        },
      ],
    });
  });

  describe('evaluate: WebSocket API routes', () => {
    tester.run({
      valid: [
        {
          title: '$connect with AWS_IAM → COMPLIANT',
          facts: webSocketRoute({ authorizationType: 'AWS_IAM' }),
          code: 'route-authorization-present',
          annotation: /requires AWS_IAM/,
        },
        {
          title: '$connect with a Lambda authorizer (CUSTOM) → COMPLIANT',
          facts: webSocketRoute({ authorizationType: 'CUSTOM' }),
          code: 'route-authorization-present',
          annotation: /requires CUSTOM/,
        },
      ],
      invalid: [
        {
          title: '$connect with NONE → NON_COMPLIANT, fix on $connect',
          facts: webSocketRoute(),
          code: 'route-authorization-none',
          annotation:
            /^Route "\$connect" of API "chat-ws" \(w9x8y7z6v5\) has no authorization \(NONE\).*Set AWS_IAM or a Lambda \(CUSTOM\) authorizer on \$connect/,
        },
        {
          title: '$connect with AuthorizationType absent → NON_COMPLIANT',
          facts: webSocketRoute({ authorizationType: undefined }),
          code: 'route-authorization-none',
          annotation: /has no authorization \(NONE\)/,
        },
        {
          title: '$default when the API has no $connect route → NON_COMPLIANT (every connection is accepted)',
          facts: webSocketRoute({ routeId: 'd3fault', routeKey: '$default', apiHasConnectRoute: false }),
          code: 'websocket-connect-route-missing',
          annotation:
            /^WebSocket API "chat-ws" \(w9x8y7z6v5\) has no \$connect route, so every connection is accepted \(route "\$default"\)\. Add a \$connect route/,
        },
        {
          title: 'a custom route when the API has no $connect route → NON_COMPLIANT',
          facts: webSocketRoute({ routeId: 's3ndmsg', routeKey: 'sendMessage', apiHasConnectRoute: false }),
          code: 'websocket-connect-route-missing',
          annotation: /has no \$connect route.*\(route "sendMessage"\)/,
        },
      ],
      notApplicable: [
        {
          title:
            '$disconnect when the API has $connect → NOT_APPLICABLE, "authorization is enforced on $connect"',
          facts: webSocketRoute({ routeId: 'd4sc0nn', routeKey: '$disconnect' }),
          code: 'websocket-judged-on-connect',
          annotation:
            /^Route "\$disconnect" of API "chat-ws" \(w9x8y7z6v5\): WebSocket authorization is enforced on \$connect/,
        },
        {
          title: 'a custom route (sendMessage) when the API has $connect → NOT_APPLICABLE',
          facts: webSocketRoute({ routeId: 's3ndmsg', routeKey: 'sendMessage' }),
          code: 'websocket-judged-on-connect',
          annotation: /authorization is enforced on \$connect/,
        },
      ],
    });
  });

  describe('evaluate: OPTIONS (CORS preflight) routes', () => {
    tester.run({
      valid: [
        {
          title: 'OPTIONS with NONE and ExemptCorsPreflightRoutes=true → COMPLIANT "Exception: …"',
          facts: httpRoute({ routeId: 'opt10ns', routeKey: 'OPTIONS /{proxy+}' }),
          params: { ExemptCorsPreflightRoutes: 'true' },
          code: 'cors-preflight-exempt',
          annotation:
            /^Exception: CORS preflight route exempted by ExemptCorsPreflightRoutes=true \(Route "OPTIONS \/\{proxy\+\}"/,
        },
        {
          title: 'ExemptCorsPreflightRoutes=true also exempts OPTIONS when authorizationType is required',
          facts: httpRoute({ routeId: 'opt10ns', routeKey: 'OPTIONS /orders' }),
          params: { ExemptCorsPreflightRoutes: 'true', authorizationType: 'JWT' },
          code: 'cors-preflight-exempt',
          annotation: /^Exception: CORS preflight route/,
        },
        {
          title: 'an authorized OPTIONS route → COMPLIANT',
          facts: httpRoute({ routeId: 'opt10ns', routeKey: 'OPTIONS /orders', authorizationType: 'JWT' }),
          code: 'route-authorization-present',
          annotation: /requires JWT/,
        },
      ],
      invalid: [
        {
          title: 'OPTIONS with NONE is judged like any other route → NON_COMPLIANT',
          facts: httpRoute({ routeId: 'opt10ns', routeKey: 'OPTIONS /{proxy+}' }),
          code: 'route-authorization-none',
          annotation: /Route "OPTIONS \/\{proxy\+\}" .* has no authorization \(NONE\)/,
        },
        {
          title: 'ExemptCorsPreflightRoutes=true exempts OPTIONS only: GET with NONE → NON_COMPLIANT',
          facts: httpRoute(),
          params: { ExemptCorsPreflightRoutes: 'true' },
          code: 'route-authorization-none',
          annotation: /has no authorization \(NONE\)/,
        },
      ],
    });
  });

  describe('remediation', () => {
    it('updates the HTTP route to an authorizer, then deploys stages without auto-deploy', () => {
      // Prepare
      const facts = httpRoute();
      // Act
      const command = routeRemediation(facts);
      // Assess
      expect(command).to.match(
        /^aws apigatewayv2 --region eu-west-1 update-route --api-id a1b2c3d4e5 --route-id bija49a --authorization-type JWT --authorizer-id <authorizer-id> && .* create-deployment --api-id a1b2c3d4e5/,
      );
    });

    it('creates a $connect route with a Lambda authorizer when a WebSocket API has none', () => {
      // Prepare
      const facts = webSocketRoute({ routeKey: '$default', apiHasConnectRoute: false });
      // Act
      const command = routeRemediation(facts);
      // Assess
      expect(command).to.include(
        "create-route --api-id w9x8y7z6v5 --route-key '$connect' --authorization-type CUSTOM",
      );
    });
  });

  describe('exceptions through decide (tags live on the API)', () => {
    const health = httpRoute({ routeId: 'h34lth1', routeKey: 'GET /health' });
    const item = httpRoute({ routeId: 'it3m1d9', routeKey: 'GET /items/{id}' });

    tester.runExceptions({
      valid: [
        {
          title: 'route-level by route id → COMPLIANT "Exception: …", not API-wide',
          facts: health,
          tags: { 'authn-exception/APIGateway.8/h34lth1': JUSTIFICATION },
          code: 'route-authorization-none',
          annotation: new RegExp(`^Exception: ${JUSTIFICATION} \\(no expiry\\)$`),
        },
        {
          title: 'route-level by a safe route key ("GET /health") → COMPLIANT',
          facts: health,
          tags: {
            'authn-exception/APIGateway.8/GET /health': JUSTIFICATION,
            'authn-exception-expires/APIGateway.8/GET /health': '2026-12-31',
          },
          code: 'route-authorization-none',
          annotation: new RegExp(`^Exception: ${JUSTIFICATION} \\(expires 2026-12-31\\)$`),
        },
        {
          title: 'that route is exempted by its route id instead → COMPLIANT',
          facts: item,
          tags: { 'authn-exception/APIGateway.8/it3m1d9': JUSTIFICATION },
          code: 'route-authorization-none',
          annotation: /^Exception: /,
        },
        {
          title: 'API-wide (no route part) → COMPLIANT, annotation says "API-wide exception"',
          facts: health,
          tags: { 'authn-exception/APIGateway.8': 'deliberately public status API' },
          code: 'route-authorization-none',
          annotation: /^Exception: deliberately public status API \(API-wide exception, no expiry\)$/,
        },
        {
          title: 'API-wide with expiry → "(API-wide exception, expires …)"',
          facts: health,
          tags: {
            'authn-exception/APIGateway.8': 'deliberately public status API',
            'authn-exception-expires/APIGateway.8': '2027-06-30',
          },
          code: 'route-authorization-none',
          annotation: /\(API-wide exception, expires 2027-06-30\)$/,
        },
        {
          title: 'a route-level exception wins over the API-wide one',
          facts: health,
          tags: {
            'authn-exception/APIGateway.8': 'deliberately public status API',
            'authn-exception/APIGateway.8/h34lth1': JUSTIFICATION,
          },
          code: 'route-authorization-none',
          annotation: new RegExp(`^Exception: ${JUSTIFICATION}`),
          not: /API-wide/,
        },
        {
          title: 'a custom ExceptionTagPrefix is honoured, route-level too',
          facts: health,
          tags: { 'sec-exception/APIGateway.8/GET /health': JUSTIFICATION },
          settings: { prefix: 'sec-exception' },
          code: 'route-authorization-none',
          annotation: /^Exception: load balancer health probe/,
        },
        {
          title: 'an API-wide exception exempts the routes of a WebSocket API without $connect',
          facts: webSocketRoute({ routeId: 'd3fault', routeKey: '$default', apiHasConnectRoute: false }),
          tags: { 'authn-exception/APIGateway.8': 'public broadcast feed, read only' },
          code: 'websocket-connect-route-missing',
          annotation: /API-wide exception/,
        },
      ],
      invalid: [
        {
          title: 'a route key with characters tags cannot hold ("{id}") is not matched → NON_COMPLIANT',
          facts: item,
          tags: { 'authn-exception/APIGateway.8/GET /items/{id}': JUSTIFICATION },
          code: 'route-authorization-none',
          annotation: /^Route "GET \/items\/\{id\}" .* has no authorization/,
        },
        {
          title: "another route's exception changes nothing",
          facts: health,
          tags: {
            'authn-exception/APIGateway.8/bija49a': JUSTIFICATION,
            'authn-exception/APIGateway.8/GET /orders': JUSTIFICATION,
          },
          code: 'route-authorization-none',
          annotation: /^Route "GET \/health" .* has no authorization/,
        },
        {
          title: 'route-level expiry in the past → NON_COMPLIANT naming the route expiry tag',
          facts: health,
          tags: {
            'authn-exception/APIGateway.8/h34lth1': JUSTIFICATION,
            'authn-exception-expires/APIGateway.8/h34lth1': '2026-10-03',
          },
          code: 'exception-tag-invalid',
          annotation:
            /^Exception tag authn-exception-expires\/APIGateway\.8\/h34lth1 not honoured: the exception expired on 2026-10-03\. Route "GET \/health"/,
        },
        {
          title: 'API-wide expiry unreadable → NON_COMPLIANT naming the API expiry tag',
          facts: health,
          tags: {
            'authn-exception/APIGateway.8': 'deliberately public status API',
            'authn-exception-expires/APIGateway.8': 'never',
          },
          code: 'exception-tag-invalid',
          annotation:
            /^Exception tag authn-exception-expires\/APIGateway\.8 not honoured: "never" is not a YYYY-MM-DD date/,
        },
        {
          title: 'route-level justification under 10 characters → NON_COMPLIANT naming the tag',
          facts: health,
          tags: { 'authn-exception/APIGateway.8/GET /health': 'probe' },
          code: 'exception-tag-invalid',
          annotation:
            /^Exception tag authn-exception\/APIGateway\.8\/GET \/health not honoured: the justification must be at least 10 characters/,
        },
        {
          title: 'ExceptionRequiresExpiry without a route expiry → NON_COMPLIANT naming the missing tag',
          facts: health,
          tags: { 'authn-exception/APIGateway.8/h34lth1': JUSTIFICATION },
          settings: { requiresExpiry: true },
          code: 'exception-tag-invalid',
          annotation:
            /no expiry tag authn-exception-expires\/APIGateway\.8\/h34lth1 \(ExceptionRequiresExpiry=true\)/,
        },
        {
          title: 'an exception for another control changes nothing',
          facts: health,
          tags: {
            'authn-exception/AppSync.5': JUSTIFICATION,
            'authn-exception/AppSync.5/h34lth1': JUSTIFICATION,
          },
          code: 'route-authorization-none',
          annotation: /^Route "GET \/health" .* has no authorization/,
        },
      ],
      untouched: [
        {
          title: 'never changes a COMPLIANT verdict, with a valid or an expired exception',
          facts: httpRoute({ authorizationType: 'JWT' }),
          compliance: 'COMPLIANT',
          tags: [VALID_EXCEPTION, EXPIRED_EXCEPTION],
        },
        {
          title: 'never changes a NOT_APPLICABLE verdict, with a valid or an expired exception',
          facts: webSocketRoute({ routeId: 'd4sc0nn', routeKey: '$disconnect' }),
          compliance: 'NOT_APPLICABLE',
          tags: [VALID_EXCEPTION, EXPIRED_EXCEPTION],
        },
      ],
    });
  });

  describe('sweep: GetApis then GetRoutes, paged by NextToken by hand', () => {
    let apigw: AwsClientStub<ApiGatewayV2Client>;
    const client = new ApiGatewayV2Client({ region: REGION });
    beforeEach(() => {
      apigw = mockClient(ApiGatewayV2Client);
    });
    afterEach(() => {
      apigw.restore();
    });

    const httpApi = (apiId: string, name: string, tags: Record<string, string> = {}): Api => ({
      ApiId: apiId,
      Name: name,
      ProtocolType: 'HTTP',
      RouteSelectionExpression: '${request.method} ${request.path}',
      ApiEndpoint: `https://${apiId}.execute-api.${REGION}.amazonaws.com`,
      ApiKeySelectionExpression: '$request.header.x-api-key',
      DisableExecuteApiEndpoint: false,
      CreatedDate: new Date('2025-03-01T10:00:00Z'),
      Tags: tags,
    });
    const webSocketApi = (apiId: string, name: string): Api => ({
      ...httpApi(apiId, name),
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
      ApiEndpoint: `wss://${apiId}.execute-api.${REGION}.amazonaws.com`,
    });
    const route = (
      routeId: string,
      routeKey: string,
      authorizationType?: Route['AuthorizationType'],
    ): Route => ({
      RouteId: routeId,
      RouteKey: routeKey,
      ApiKeyRequired: false,
      Target: 'integrations/x1y2z3a',
      ...(authorizationType === undefined ? {} : { AuthorizationType: authorizationType }),
      ...(authorizationType === 'JWT'
        ? { AuthorizerId: 'jwt4uth', AuthorizationScopes: ['orders/read'] }
        : {}),
    });

    /** Serves GetApis pages by NextToken and GetRoutes pages by ApiId + NextToken, recording what was asked. */
    function serve(
      apiPages: Record<string, Partial<GetApisCommandOutput>>,
      routePages: Record<string, Partial<GetRoutesCommandOutput>>,
    ): { apiTokens: (string | undefined)[]; routeRequests: string[] } {
      const apiTokens: (string | undefined)[] = [];
      const routeRequests: string[] = [];
      apigw.on(GetApisCommand).callsFake((input: GetApisCommandInput) => {
        apiTokens.push(input.NextToken);
        return apiPages[input.NextToken ?? 'first'];
      });
      apigw.on(GetRoutesCommand).callsFake((input: GetRoutesCommandInput) => {
        const key = `${input.ApiId ?? ''}:${input.NextToken ?? 'first'}`;
        routeRequests.push(key);
        return routePages[key];
      });
      return { apiTokens, routeRequests };
    }

    it('follows NextToken on GetApis and on GetRoutes, and names every route by its route ARN', async () => {
      // Prepare
      const { apiTokens, routeRequests } = serve(
        {
          first: { Items: [httpApi('a1b2c3d4e5', 'orders-api')], NextToken: 'apis-2' },
          'apis-2': { Items: [httpApi('f6g7h8i9j0', 'status-api')] },
        },
        {
          'a1b2c3d4e5:first': { Items: [route('bija49a', 'GET /orders', 'JWT')], NextToken: 'routes-2' },
          'a1b2c3d4e5:routes-2': { Items: [route('p0st0rd', 'POST /orders', 'NONE')] },
          'f6g7h8i9j0:first': { Items: [route('h34lth1', 'GET /health')] },
        },
      );
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(apiTokens).to.deep.equal([undefined, 'apis-2']);
      expect(routeRequests).to.have.members(['a1b2c3d4e5:first', 'a1b2c3d4e5:routes-2', 'f6g7h8i9j0:first']);
      expect(routeRequests).to.have.length(3);
      expect(
        swept.map((resource) => [resource.resourceType, resource.resourceId, resource.resourceName]),
      ).to.have.deep.members([
        [
          'AWS::ApiGatewayV2::Route',
          `arn:aws:apigateway:${REGION}::/apis/a1b2c3d4e5/routes/bija49a`,
          'orders-api GET /orders',
        ],
        [
          'AWS::ApiGatewayV2::Route',
          `arn:aws:apigateway:${REGION}::/apis/a1b2c3d4e5/routes/p0st0rd`,
          'orders-api POST /orders',
        ],
        [
          'AWS::ApiGatewayV2::Route',
          `arn:aws:apigateway:${REGION}::/apis/f6g7h8i9j0/routes/h34lth1`,
          'status-api GET /health',
        ],
      ]);
      const byRoute = Object.fromEntries(
        swept.map((resource) => [resource.facts.routeId, rule.evaluate(resource.facts, DEFAULTS).compliance]),
      );
      expect(byRoute).to.deep.equal({
        bija49a: 'COMPLIANT',
        p0st0rd: 'NON_COMPLIANT',
        h34lth1: 'NON_COMPLIANT',
      });
    });

    it('names the parent API for the per-API fallback', async () => {
      // Prepare
      serve(
        { first: { Items: [httpApi('a1b2c3d4e5', 'orders-api')] } },
        { 'a1b2c3d4e5:first': { Items: [route('bija49a', 'GET /orders')] } },
      );
      // Act
      const [resource] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(resource?.parent).to.deep.equal({
        resourceType: 'AWS::ApiGatewayV2::Api',
        resourceId: 'a1b2c3d4e5',
        resourceName: 'orders-api',
      });
    });

    it('builds the route ARN from the partition and region of the sweep', async () => {
      // Prepare
      serve(
        { first: { Items: [httpApi('a1b2c3d4e5', 'orders-api')] } },
        { 'a1b2c3d4e5:first': { Items: [route('bija49a', 'GET /orders')] } },
      );
      // Act
      const [resource] = await rule.sweep(client, {
        accountId: ACCOUNT,
        region: 'cn-north-1',
        partition: 'aws-cn',
      });
      // Assess
      expect(resource?.resourceId).to.equal(
        'arn:aws-cn:apigateway:cn-north-1::/apis/a1b2c3d4e5/routes/bija49a',
      );
    });

    it('sees a $connect route on a later GetRoutes page: the other WebSocket routes are NOT_APPLICABLE', async () => {
      // Prepare
      serve(
        { first: { Items: [webSocketApi('w9x8y7z6v5', 'chat-ws')] } },
        {
          'w9x8y7z6v5:first': {
            Items: [route('d3fault', '$default'), route('s3ndmsg', 'sendMessage')],
            NextToken: 'routes-2',
          },
          'w9x8y7z6v5:routes-2': { Items: [route('c0nn3ct', '$connect', 'CUSTOM')] },
        },
      );
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      const byKey = Object.fromEntries(
        swept.map((resource) => [
          resource.facts.routeKey,
          rule.evaluate(resource.facts, DEFAULTS).compliance,
        ]),
      );
      expect(byKey).to.deep.equal({
        $default: 'NOT_APPLICABLE',
        sendMessage: 'NOT_APPLICABLE',
        $connect: 'COMPLIANT',
      });
    });

    it('fails every route of a WebSocket API that has no $connect route', async () => {
      // Prepare
      serve(
        { first: { Items: [webSocketApi('w9x8y7z6v5', 'chat-ws')] } },
        { 'w9x8y7z6v5:first': { Items: [route('d3fault', '$default'), route('s3ndmsg', 'sendMessage')] } },
      );
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      const verdicts = swept.map((resource) => rule.evaluate(resource.facts, DEFAULTS));
      expect(verdicts.map((verdict) => verdict.compliance)).to.deep.equal(['NON_COMPLIANT', 'NON_COMPLIANT']);
      expect(verdicts.every((verdict) => verdict.annotation.includes('has no $connect route'))).to.be.true;
    });

    it('takes tags inline from GetApis: a route exception applies with no GetTags call', async () => {
      // Prepare
      serve(
        {
          first: {
            Items: [
              httpApi('f6g7h8i9j0', 'status-api', {
                'authn-exception/APIGateway.8/GET /health': JUSTIFICATION,
              }),
            ],
          },
        },
        {
          'f6g7h8i9j0:first': { Items: [route('h34lth1', 'GET /health'), route('m3tr1cs', 'GET /metrics')] },
        },
      );
      const swept = await rule.sweep(client, CONTEXT);
      // Act
      const verdicts = await Promise.all(
        swept.map((resource) => decideSwept(rule, resource, DEFAULTS, EXCEPTIONS)),
      );
      // Assess
      expect(verdicts.map((verdict) => verdict.compliance)).to.deep.equal(['COMPLIANT', 'NON_COMPLIANT']);
      expect(verdicts[0]?.annotation).to.equal(`Exception: ${JUSTIFICATION} (no expiry)`);
      expect(apigw.commandCalls(GetTagsCommand)).to.have.length(0);
    });

    it('reports nothing for an API without routes', async () => {
      // Prepare
      serve(
        { first: { Items: [httpApi('e1m2p3t4y5', 'empty-api')] } },
        { 'e1m2p3t4y5:first': { Items: [] } },
      );
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(swept).to.deep.equal([]);
    });

    it('rejects the whole sweep when one GetRoutes call fails (no partial report)', async () => {
      // Prepare
      serve(
        { first: { Items: [httpApi('a1b2c3d4e5', 'orders-api'), httpApi('f6g7h8i9j0', 'status-api')] } },
        {
          'a1b2c3d4e5:first': { Items: [route('bija49a', 'GET /orders', 'JWT')] },
        },
      );
      apigw
        .on(GetRoutesCommand, { ApiId: 'f6g7h8i9j0' })
        .rejects(Object.assign(new Error('Too Many Requests'), { name: 'TooManyRequestsException' }));
      // Act
      const outcome = await rule.sweep(client, CONTEXT).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.name : String(error)),
      );
      // Assess
      expect(outcome).to.equal('TooManyRequestsException');
    });

    it('through the handler: a scheduled run reports route ARNs at the notification time, with ExemptCorsPreflightRoutes', async () => {
      // Prepare
      serve(
        { first: { Items: [httpApi('a1b2c3d4e5', 'orders-api')] } },
        {
          'a1b2c3d4e5:first': {
            Items: [
              route('bija49a', 'ANY /{proxy+}', 'JWT'),
              route('opt10ns', 'OPTIONS /{proxy+}', 'NONE'),
              route('p0st0rd', 'POST /orders'),
            ],
          },
        },
      );
      const handle = createConfigRuleHandler(rule, {
        dryRun: true,
        log: silentLog,
        now: () => new Date(`${TODAY}T00:05:00Z`),
        createServiceClient: () => new ApiGatewayV2Client({ region: REGION }),
      });
      // Act
      const result = await handle(scheduledEvent({ ruleParameters: { ExemptCorsPreflightRoutes: 'true' } }));
      // Assess
      const arn = (routeId: string) => `arn:aws:apigateway:${REGION}::/apis/a1b2c3d4e5/routes/${routeId}`;
      expect(
        result.evaluations.map((evaluation) => [
          evaluation.ComplianceResourceType,
          evaluation.ComplianceResourceId,
          evaluation.ComplianceType,
        ]),
      ).to.deep.equal([
        ['AWS::ApiGatewayV2::Route', arn('bija49a'), 'COMPLIANT'],
        ['AWS::ApiGatewayV2::Route', arn('opt10ns'), 'COMPLIANT'],
        ['AWS::ApiGatewayV2::Route', arn('p0st0rd'), 'NON_COMPLIANT'],
      ]);
      expect(
        result.evaluations.every((evaluation) => evaluation.OrderingTimestamp.toISOString() === SCHEDULED_AT),
      ).to.be.true;
      expect(apigw.commandCalls(GetTagsCommand)).to.have.length(0);
    });
  });
});
