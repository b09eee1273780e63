/**
 * A route's hook request reads its API live (GetApi, and GetRoutes for a WebSocket API), with the real handler and
 * SDK client against moto_server, and through the fault proxy where AWS must answer with an error or not at all.
 */
import { expect } from 'chai';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateRouteCommand,
  type AuthorizationType,
  type ProtocolType,
} from '@aws-sdk/client-apigatewayv2';
import type { ClientSettings } from '../../../rules/core/types';
import { SETTLE_DELAY_SECONDS, SETTLE_INVOCATIONS } from '../../../hook/evaluate';
import { emulatorClientSettings } from '../../../scripts/emulator';
import { startFaultProxy, type FaultProxy } from '../../faults/fault-proxy';
import { useEmulator } from '../../helpers/emulator';
import { hookRequest, hookSamples, testHookHandler, REGION, type HookRequestShape } from '../../helpers/hook';

const ROUTE = 'AWS::ApiGatewayV2::Route';
const OVERRIDES = 'AWS::ApiGatewayV2::ApiGatewayManagedOverrides';

describe('rules/apigwv2-route-authorization/hook: live reads of a route’s API', function () {
  this.timeout(60_000);
  const emulator = useEmulator();

  const handlerAt = (endpoint: string, budgetMs?: number): ReturnType<typeof testHookHandler> =>
    testHookHandler({
      createClient: (rule, settings: ClientSettings) =>
        rule.service.createClient({ ...settings, ...emulatorClientSettings(endpoint, REGION) }),
      ...(budgetMs === undefined ? {} : { budgetMs }),
    });

  async function createApi(
    name: string,
    protocol: ProtocolType,
    tags: Record<string, string> = {},
    routes: readonly [string, AuthorizationType][] = [],
  ): Promise<string> {
    const client = new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint, REGION));
    const api = await client.send(
      new CreateApiCommand({
        Name: name,
        ProtocolType: protocol,
        Tags: tags,
        ...(protocol === 'WEBSOCKET' ? { RouteSelectionExpression: '$request.body.action' } : {}),
      }),
    );
    const apiId = api.ApiId ?? '';
    for (const [routeKey, authorizationType] of routes) {
      await client.send(
        new CreateRouteCommand({ ApiId: apiId, RouteKey: routeKey, AuthorizationType: authorizationType }),
      );
    }
    return apiId;
  }

  const route = (
    apiId: string,
    routeKey: string,
    authorizationType: string,
    options: Parameters<typeof hookRequest>[3] = {},
    logicalId = 'PartnersPostRoute',
  ): ReturnType<typeof hookRequest> =>
    hookRequest(
      ROUTE,
      logicalId,
      {
        ApiId: apiId,
        RouteKey: routeKey,
        AuthorizationType: authorizationType,
        Target: 'integrations/k9l8m7n',
      },
      options,
    );

  it('answers every sample request in samples/hook-events as its name says', async () => {
    // Prepare: the route samples name API a1b2c3d4e5; here it is an HTTP API the emulator just created.
    const apiId = await createApi('partner-api', 'HTTP');
    const handler = handlerAt(emulator.current().endpoint);
    const expected: Record<string, [string, string | undefined]> = {
      // The quick-create API's $default route is judged on its override, which CloudFormation creates after it.
      'apigateway8-quick-create-api.json': ['SUCCESS', undefined],
      'apigateway8-quick-create-override-jwt.json': ['SUCCESS', undefined],
      'apigateway8-quick-create-override-no-authorization.json': ['FAILED', 'NonCompliant'],
      'apigateway8-route-jwt.json': ['SUCCESS', undefined],
      'apigateway8-route-no-authorization.json': ['FAILED', 'NonCompliant'],
      'appsync5-api-key-only.json': ['FAILED', 'NonCompliant'],
      'appsync5-cognito-with-iam.json': ['SUCCESS', undefined],
      'appsync5-update-removes-api-key.json': ['SUCCESS', undefined],
      'delete-graphql-api.json': ['SUCCESS', undefined],
      'dms11-mongodb-no-auth.json': ['FAILED', 'NonCompliant'],
      'dms11-mongodb-password.json': ['SUCCESS', undefined],
      'elasticache6-redis5-auth-token.json': ['SUCCESS', undefined],
      'elasticache6-redis5-no-auth.json': ['FAILED', 'NonCompliant'],
      'malformed-no-request-data.json': ['FAILED', 'InternalFailure'],
      'msk6-iam-only.json': ['SUCCESS', undefined],
      'msk6-unauthenticated-beside-iam.json': ['FAILED', 'NonCompliant'],
    };
    const samples = hookSamples();
    // Act
    const answered: Record<string, [string, string | undefined]> = {};
    for (const [file, sample] of samples) {
      // The malformed sample has no requestData at all.
      const data = sample.requestData as HookRequestShape['requestData'] | undefined;
      const request =
        data?.targetName === ROUTE || data?.targetName === OVERRIDES
          ? {
              ...sample,
              requestData: {
                ...data,
                targetModel: {
                  ...data.targetModel,
                  resourceProperties: { ...data.targetModel.resourceProperties, ApiId: apiId },
                },
              },
            }
          : sample;
      const response = await handler(request);
      answered[file] = [response.hookStatus, response.errorCode];
      expect(response.clientRequestToken).to.equal(sample.clientRequestToken);
      if (response.errorCode === 'NonCompliant') {
        expect(response.message).to.include(data?.targetLogicalId);
        expect(response.message).to.include(data?.targetName);
        expect(response.message).to.include('Fix:');
      }
    }
    // Assess: one pass and one fail per control, and the samples are exactly these.
    expect(answered).to.deep.equal(expected);
  });

  describe('a quick-create HTTP API and its ApiGatewayManagedOverrides', () => {
    // The API is created first (the override's ApiId is a Ref to it); its hook request has the API's properties only.
    const QUICK_CREATE_API = {
      Name: 'partner-quick',
      ProtocolType: 'HTTP',
      Target: 'arn:aws:lambda:us-east-1:123456789012:function:partner-handler',
    };
    const overrides = (apiId: string, extra: Record<string, unknown>): ReturnType<typeof hookRequest> =>
      hookRequest(OVERRIDES, 'PartnerQuickOverrides', { ApiId: apiId, ...extra });

    it('passes the API without reading anything, saying its $default route is judged on the override', async () => {
      // Prepare: an endpoint that answers nothing, so any read would fail the request closed.
      const handler = handlerAt('http://127.0.0.1:9', 2_000);
      // Act
      const response = await handler(
        hookRequest('AWS::ApiGatewayV2::Api', 'PartnerQuickApi', QUICK_CREATE_API),
      );
      // Assess
      expect(response.hookStatus, response.message).to.equal('SUCCESS');
      expect(response.message).to.include(
        `PartnerQuickApi (AWS::ApiGatewayV2::Api): the $default route this quick-create API (Target) gets is judged on the ${OVERRIDES} that sets its Route.AuthorizationType`,
      );
      expect(response.message).to.include('check-template reports it before deploy');
    });

    it('judges the $default route on the override: JWT passes, no Route.AuthorizationType fails with the fix', async () => {
      // Prepare
      const apiId = await createApi('partner-quick', 'HTTP');
      const handler = handlerAt(emulator.current().endpoint);
      // Act
      const jwt = await handler(
        overrides(apiId, { Route: { AuthorizationType: 'JWT', AuthorizerId: 'k7j6h5' } }),
      );
      const open = await handler(overrides(apiId, { Integration: { PayloadFormatVersion: '2.0' } }));
      // Assess
      expect(jwt.hookStatus, jwt.message).to.equal('SUCCESS');
      expect(jwt.message).to.include(`PartnerQuickOverrides (${OVERRIDES})`);
      expect(jwt.message).to.include('Route "$default" of API "partner-quick"');
      expect(open).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
      expect(open.message).to.include(
        `Route "$default" of API "partner-quick" (${apiId}) has no authorization`,
      );
      expect(open.message).to.include(
        `Fix: set Route.AuthorizationType on the ${OVERRIDES} PartnerQuickOverrides to JWT or CUSTOM`,
      );
    });

    it('fails an override update that takes the authorization away, and honours the API’s exception tag', async () => {
      // Prepare
      const apiId = await createApi('partner-quick', 'HTTP');
      // Tag keys cannot hold `$`, so a quick-create API's one route is exempted API-wide.
      const exempt = await createApi('status-quick', 'HTTP', {
        'authn-exception/APIGateway.8': 'public status page',
      });
      const handler = handlerAt(emulator.current().endpoint);
      // Act
      const update = await handler(
        hookRequest(
          OVERRIDES,
          'PartnerQuickOverrides',
          { ApiId: apiId, Route: { AuthorizationType: 'NONE' } },
          {
            point: 'UPDATE_PRE_PROVISION',
            previous: { ApiId: apiId, Route: { AuthorizationType: 'AWS_IAM' } },
          },
        ),
      );
      const exempted = await handler(overrides(exempt, { Route: { AuthorizationType: 'NONE' } }));
      // Assess
      expect(update).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
      expect(exempted.hookStatus, exempted.message).to.equal('SUCCESS');
      expect(exempted.message).to.include('Exception: public status page');
    });

    it('asks again when the overridden API is not found, then fails closed', async () => {
      // Prepare
      const handler = handlerAt(emulator.current().endpoint);
      // Act
      const first = await handler(overrides('nosuchapi1', { Route: { AuthorizationType: 'JWT' } }));
      const last = await handler(
        hookRequest(
          OVERRIDES,
          'PartnerQuickOverrides',
          { ApiId: 'nosuchapi1', Route: { AuthorizationType: 'JWT' } },
          { invocation: SETTLE_INVOCATIONS },
        ),
      );
      // Assess
      expect(first.hookStatus).to.equal('IN_PROGRESS');
      expect(first.message).to.include('the overridden API nosuchapi1 was not found');
      expect(last).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    });
  });

  it('fails an HTTP route without authorization, naming the API and the route key', async () => {
    // Prepare
    const apiId = await createApi('partner-api', 'HTTP');
    // Act
    const response = await handlerAt(emulator.current().endpoint)(route(apiId, 'POST /partners', 'NONE'));
    // Assess
    expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(response.message).to.include(
      `Route "POST /partners" of API "partner-api" (${apiId}) has no authorization`,
    );
    expect(response.message).to.include('Fix: set AuthorizationType to JWT or CUSTOM');
  });

  it('passes an HTTP route with a JWT authorizer', async () => {
    // Prepare
    const apiId = await createApi('partner-api', 'HTTP');
    // Act
    const response = await handlerAt(emulator.current().endpoint)(route(apiId, 'GET /orders', 'JWT'));
    // Assess
    expect(response.hookStatus).to.equal('SUCCESS');
    expect(response.message).to.include('requires JWT authorization');
  });

  it('reads a route’s exception from its API’s tags, by route key, with expiry', async () => {
    // Prepare
    const apiId = await createApi('partner-api', 'HTTP', {
      'authn-exception/APIGateway.8/GET /health': 'public load balancer health probe',
      'authn-exception-expires/APIGateway.8/GET /health': '2027-01-31',
      'authn-exception/APIGateway.8/GET /status': 'status page, retired this quarter',
      'authn-exception-expires/APIGateway.8/GET /status': '2026-09-01',
    });
    const handler = handlerAt(emulator.current().endpoint);
    // Act
    const health = await handler(route(apiId, 'GET /health', 'NONE'));
    const status = await handler(route(apiId, 'GET /status', 'NONE'));
    // Assess
    expect(health.hookStatus).to.equal('SUCCESS');
    expect(health.message).to.include('Exception: public load balancer health probe (expires 2027-01-31)');
    expect(status).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(status.message).to.include('the exception expired on 2026-09-01');
  });

  it('reads an API-wide exception from the API’s tags', async () => {
    // Prepare
    const apiId = await createApi('status-api', 'HTTP', {
      'authn-exception/APIGateway.8': 'deliberately public status API',
    });
    // Act
    const response = await handlerAt(emulator.current().endpoint)(route(apiId, 'GET /', 'NONE'));
    // Assess
    expect(response.hookStatus).to.equal('SUCCESS');
    expect(response.message).to.include(
      'Exception: deliberately public status API (API-wide exception, no expiry)',
    );
  });

  it('judges a route whose API was created earlier in the same stack: its ApiId arrives resolved, the API exists', async () => {
    // Prepare: CloudFormation creates the API first (the route's ApiId is a Ref to it) and hands the route's hook the
    // API's id; the API has no routes yet.
    const apiId = await createApi('orders-api', 'HTTP');
    const handler = handlerAt(emulator.current().endpoint);
    // Act
    const open = await handler(route(apiId, 'ANY /{proxy+}', 'NONE', {}, 'ProxyRoute'));
    const iam = await handler(route(apiId, 'ANY /{proxy+}', 'AWS_IAM', {}, 'ProxyRoute'));
    // Assess
    expect(open).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(open.message).to.include('ProxyRoute (AWS::ApiGatewayV2::Route)');
    expect(iam.hookStatus).to.equal('SUCCESS');
  });

  it('waits for a WebSocket API’s $connect created in parallel in the same stack, then judges through it', async () => {
    // Prepare: the stack creates the API, then its routes in parallel; sendMessage's hook runs first.
    const apiId = await createApi('chat-ws', 'WEBSOCKET');
    const handler = handlerAt(emulator.current().endpoint);
    const sendMessage = (invocation: number, callbackContext?: Record<string, unknown>) =>
      route(
        apiId,
        'sendMessage',
        'NONE',
        { invocation, ...(callbackContext ? { callbackContext } : {}) },
        'SendRoute',
      );
    // Act
    const first = await handler(sendMessage(1));
    const client = new ApiGatewayV2Client(emulatorClientSettings(emulator.current().endpoint, REGION));
    await client.send(
      new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', AuthorizationType: 'AWS_IAM' }),
    );
    const second = await handler(sendMessage(2, first.callbackContext));
    // Assess
    expect(first).to.deep.include({
      hookStatus: 'IN_PROGRESS',
      callbackDelaySeconds: SETTLE_DELAY_SECONDS,
      callbackContext: { authnPackInvocation: 2 },
    });
    expect(first.message).to.include('has no $connect route yet');
    expect(second.hookStatus).to.equal('SUCCESS');
    expect(second.message).to.include('WebSocket authorization is enforced on $connect');
  });

  it('fails a WebSocket route reached through an open $connect once the stack has had time to settle', async () => {
    // Prepare
    const apiId = await createApi('chat-ws', 'WEBSOCKET', {}, [['$connect', 'NONE']]);
    const handler = handlerAt(emulator.current().endpoint);
    // Act
    const early = await handler(route(apiId, 'sendMessage', 'NONE', {}, 'SendRoute'));
    const final = await handler(
      route(apiId, 'sendMessage', 'NONE', { invocation: SETTLE_INVOCATIONS }, 'SendRoute'),
    );
    // Assess
    expect(early.hookStatus).to.equal('IN_PROGRESS');
    expect(final).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(final.message).to.include('reached through chat-ws $connect, which lets anyone in');
    expect(final.message).to.include('Fix: set AuthorizationType AWS_IAM or CUSTOM');
  });

  it('judges a WebSocket $connect route on its own authorization', async () => {
    // Prepare
    const apiId = await createApi('chat-ws', 'WEBSOCKET');
    const handler = handlerAt(emulator.current().endpoint);
    // Act
    const open = await handler(route(apiId, '$connect', 'NONE', {}, 'ConnectRoute'));
    const custom = await handler(route(apiId, '$connect', 'CUSTOM', {}, 'ConnectRoute'));
    // Assess
    expect(open).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    expect(custom.hookStatus).to.equal('SUCCESS');
  });

  it('exempts CORS preflight routes when its settings set ExemptCorsPreflightRoutes', async () => {
    // Prepare
    const apiId = await createApi('partner-api', 'HTTP');
    const handler = testHookHandler({
      env: { AUTHN_PACK_RULE_PARAMETERS: '{"APIGateway.8":{"ExemptCorsPreflightRoutes":"true"}}' },
      createClient: (rule, settings: ClientSettings) =>
        rule.service.createClient({
          ...settings,
          ...emulatorClientSettings(emulator.current().endpoint, REGION),
        }),
    });
    // Act
    const response = await handler(route(apiId, 'OPTIONS /partners', 'NONE'));
    // Assess
    expect(response.hookStatus).to.equal('SUCCESS');
    expect(response.message).to.include('CORS preflight route exempted');
  });

  it('asks again when the API is not found, then fails closed with InternalFailure', async () => {
    // Act
    const handler = handlerAt(emulator.current().endpoint);
    const early = await handler(route('zz00missing', 'GET /orders', 'JWT'));
    const final = await handler(
      route('zz00missing', 'GET /orders', 'JWT', { invocation: SETTLE_INVOCATIONS }),
    );
    // Assess
    expect(early.hookStatus).to.equal('IN_PROGRESS');
    expect(final).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
    expect(final.message).to.include("the route's API zz00missing was not found");
    expect(final.message).to.include('fails closed');
  });

  describe('when AWS answers with an error or not at all', () => {
    let proxy: FaultProxy | undefined;
    afterEach(async () => {
      await proxy?.stop();
      proxy = undefined;
    });

    it('fails closed with InternalFailure and the reason when GetApi is denied, never SUCCESS', async () => {
      // Prepare: a passing route, so only the failed read can make the answer anything but SUCCESS.
      const apiId = await createApi('partner-api', 'HTTP');
      proxy = await startFaultProxy(emulator.current().endpoint, {
        fault: (call) => (call.operation.startsWith('GET /v2/apis') ? 'deny' : undefined),
      });
      // Act
      const response = await handlerAt(proxy.endpoint)(route(apiId, 'GET /orders', 'JWT'));
      // Assess
      expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
      expect(response.message).to.include(`API ${apiId} could not be read (GetApi): AccessDeniedException`);
      expect(response.message).to.include(
        '[APIGateway.8 authn-apigwv2-route-authorization] PartnersPostRoute',
      );
    });

    it('fails closed when the WebSocket API’s routes cannot be read', async () => {
      // Prepare
      const apiId = await createApi('chat-ws', 'WEBSOCKET', {}, [['$connect', 'AWS_IAM']]);
      proxy = await startFaultProxy(emulator.current().endpoint, {
        fault: (call) => (call.operation.endsWith('/routes') ? 'server-error' : undefined),
      });
      // Act
      const response = await handlerAt(proxy.endpoint)(route(apiId, 'sendMessage', 'NONE', {}, 'SendRoute'));
      // Assess
      expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
      expect(response.message).to.include(`the routes of API ${apiId} could not be read (GetRoutes)`);
    });

    it('answers within its time budget when the API never answers, failing closed', async () => {
      // Prepare
      const apiId = await createApi('partner-api', 'HTTP');
      proxy = await startFaultProxy(emulator.current().endpoint, { fault: () => 'hang' });
      const budgetMs = 400;
      const started = Date.now();
      // Act
      const response = await handlerAt(proxy.endpoint, budgetMs)(route(apiId, 'GET /orders', 'JWT'));
      // Assess
      const elapsed = Date.now() - started;
      expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
      expect(response.message).to.include(`could not be judged within ${budgetMs} ms`);
      expect(elapsed).to.be.below(budgetMs + 1_500);
    });

    it('takes its budget from what Lambda has left when that is less', async () => {
      // Prepare
      const apiId = await createApi('partner-api', 'HTTP');
      proxy = await startFaultProxy(emulator.current().endpoint, { fault: () => 'hang' });
      const started = Date.now();
      // Act: Lambda has 1.5 s left; the handler keeps 1 s back to answer.
      const response = await handlerAt(proxy.endpoint)(route(apiId, 'GET /orders', 'JWT'), {
        getRemainingTimeInMillis: () => 1_500,
      });
      // Assess
      expect(response.hookStatus).to.equal('FAILED');
      expect(response.message).to.include('within 500 ms');
      expect(Date.now() - started).to.be.below(2_000);
    });
  });
});
