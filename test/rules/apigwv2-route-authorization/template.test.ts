import { expect } from 'chai';
import { apigwv2RouteAuthorization as rule } from '../../../rules/apigwv2-route-authorization/rule';
import { UNVERIFIABLE, checkSnippet, templateTable } from '../../helpers/templates';

const HEALTH = 'public load balancer health probe, no data returned';

/** 1-based line of the first line of a text that starts with a prefix. */
const lineOf = (text: string, prefix: string): number =>
  text.split('\n').findIndex((line) => line.startsWith(prefix)) + 1;

/** An HTTP API `orders-api` (tags as given) with one route. */
function httpApi(route: string, options: { tags?: string; parameters?: string; api?: string } = {}): string {
  return `
Parameters:
  JwtDefault: {Type: String, Default: JWT}
  NoneDefault: {Type: String, Default: NONE}
  NoDefault: {Type: String}
  FromSsm: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /platform/route-auth}
${options.parameters ?? ''}
Resources:
  OrdersApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders-api
      ProtocolType: HTTP
${options.api ?? ''}
      Tags:
        team: orders
${options.tags ?? ''}
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref OrdersApi
${route}
`;
}

/** A WebSocket API `chat-ws` with the given routes. */
function webSocketApi(routes: string): string {
  return `
Parameters:
  ConnectAuth: {Type: String, Default: AWS_IAM}
Resources:
  ChatApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: chat-ws
      ProtocolType: WEBSOCKET
      RouteSelectionExpression: $request.body.action
${routes}
`;
}

const wsRoute = (id: string, key: string, auth?: string): string => `
  ${id}:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref ChatApi
      RouteKey: ${key}
${auth === undefined ? '' : `      AuthorizationType: ${auth}`}
`;

/** A route on an API that is not in this template. */
const externalRoute = (key: string, auth: string): string => `
Resources:
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !ImportValue shared-api-id
      RouteKey: ${key}
      AuthorizationType: ${auth}
`;

/** A quick-create HTTP API (its $default route is implicit), with optional overrides. */
function quickCreate(extra = '', parameters = ''): string {
  return `
Parameters:
  NoDefault: {Type: String}
${parameters}
Resources:
  QuickApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: quick-api
      ProtocolType: HTTP
      Target: arn:aws:lambda:eu-west-1:111122223333:function:orders
${extra}
`;
}

const override = (auth: string): string => `
  QuickOverrides:
    Type: AWS::ApiGatewayV2::ApiGatewayManagedOverrides
    Properties:
      ApiId: !Ref QuickApi
      Route:
        AuthorizationType: ${auth}
        AuthorizerId: jwt0001
`;

describe('APIGateway.8 template adapter', () => {
  describe('HTTP API routes', () => {
    templateTable(rule, [
      {
        title:
          'AuthorizationType NONE → NON_COMPLIANT, named by API name and route key, located by logical id and line',
        template: httpApi('      RouteKey: POST /partners\n      AuthorizationType: NONE'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Route "POST \/partners" of API "orders-api" \(OrdersApi\) has no authorization \(NONE\)/,
        also: (finding) => {
          expect(finding.resourceName).to.equal('orders-api POST /partners');
          expect(finding.resourceType).to.equal('AWS::ApiGatewayV2::Route');
          expect(finding.logicalId).to.equal('Route');
          expect(finding.line).to.equal(lineOf(httpApi(''), '  Route:'));
          expect(finding.remediation).to.equal(
            'Route in stack.yaml: set AuthorizationType to JWT or CUSTOM (with AuthorizerId) or AWS_IAM',
          );
          expect(finding.internetFacing).to.equal(true);
        },
      },
      {
        title: 'AuthorizationType absent → NON_COMPLIANT (NONE is the service default)',
        template: httpApi('      RouteKey: POST /partners'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /has no authorization \(NONE\)/,
      },
      {
        title: 'AuthorizationType JWT → COMPLIANT',
        template: httpApi(
          '      RouteKey: GET /orders\n      AuthorizationType: JWT\n      AuthorizerId: jwt0001',
        ),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /requires JWT authorization/,
        also: (finding) => expect(finding.remediation).to.equal(null),
      },
      {
        title:
          'AuthorizationType from a parameter whose Default is JWT → COMPLIANT (cdk-nag reads the Ref as not set)',
        template: httpApi('      RouteKey: GET /orders\n      AuthorizationType: !Ref JwtDefault'),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /requires JWT authorization/,
      },
      {
        title: 'AuthorizationType from a parameter whose Default is NONE → NON_COMPLIANT',
        template: httpApi('      RouteKey: GET /orders\n      AuthorizationType: !Ref NoneDefault'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /has no authorization \(NONE\)/,
      },
      {
        title:
          'AuthorizationType from a parameter without Default → NON_COMPLIANT, cannot be verified before deploy',
        template: httpApi('      RouteKey: GET /orders\n      AuthorizationType: !Ref NoDefault'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^orders-api GET \/orders cannot be verified before deploy: AuthorizationType is not known before deploy \(parameter NoDefault has no Default\)\. Use a literal or a parameter with a Default\.$/,
        also: (finding) =>
          expect(finding.remediation).to.equal(
            'Route in stack.yaml: make AuthorizationType a literal (or a parameter with a Default) so the check can see it, or document an exception tag',
          ),
      },
      {
        title:
          'AuthorizationType from an SSM parameter → NON_COMPLIANT, cannot be verified (its Default is a name)',
        template: httpApi('      RouteKey: GET /orders\n      AuthorizationType: !Ref FromSsm'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /cannot be verified before deploy: .*read from SSM Parameter Store/,
      },
      {
        title: 'AuthorizationType behind !If → NON_COMPLIANT, cannot be verified before deploy',
        template: httpApi('      RouteKey: GET /admin\n      AuthorizationType: !If [IsProd, AWS_IAM, NONE]'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: AuthorizationType is not known before deploy \(Fn::If is evaluated only at deploy\)/,
      },
      {
        title: 'RouteKey not known → NON_COMPLIANT, cannot be verified, named by logical id',
        template: httpApi('      RouteKey: !Ref NoDefault\n      AuthorizationType: JWT'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /^orders-api Route cannot be verified before deploy: RouteKey is not known before deploy/,
      },
      {
        title: 'RouteKey missing → NON_COMPLIANT, cannot be verified',
        template: httpApi('      AuthorizationType: JWT'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: RouteKey is missing\. Set RouteKey and AuthorizationType on the route\.$/,
        also: (finding) =>
          expect(finding.remediation).to.equal(
            'Route in stack.yaml: set RouteKey and AuthorizationType on the route',
          ),
      },
      {
        title: "the API's ProtocolType not known → NON_COMPLIANT, cannot be verified",
        template: httpApi('      RouteKey: sendMessage\n      AuthorizationType: NONE').replace(
          'ProtocolType: HTTP',
          'ProtocolType: !Ref NoDefault',
        ),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /cannot be verified before deploy: ProtocolType is not known before deploy/,
      },
      {
        title: 'ApiId through !GetAtt Api.ApiId finds the API',
        template: httpApi('      RouteKey: GET /orders\n      AuthorizationType: AWS_IAM').replace(
          'ApiId: !Ref OrdersApi',
          'ApiId: !GetAtt OrdersApi.ApiId',
        ),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /^Route "GET \/orders" of API "orders-api" \(OrdersApi\) requires AWS_IAM/,
      },
      {
        title: 'an unrecognised authorization type → NON_COMPLIANT',
        template: httpApi('      RouteKey: GET /orders\n      AuthorizationType: COGNITO_USER_POOLS'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /unrecognised authorization type "COGNITO_USER_POOLS"/,
      },
      {
        title: 'with the rule parameter authorizationType=JWT, an AWS_IAM route → NON_COMPLIANT',
        template: httpApi('      RouteKey: GET /orders\n      AuthorizationType: AWS_IAM'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /uses AWS_IAM, but this rule requires JWT/,
        options: { parameters: { authorizationType: 'JWT' } },
      },
      {
        title: 'an open OPTIONS route → NON_COMPLIANT by default',
        template: httpApi('      RouteKey: OPTIONS /orders'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /has no authorization/,
      },
      {
        title: 'an open OPTIONS route with ExemptCorsPreflightRoutes=true → COMPLIANT',
        template: httpApi('      RouteKey: OPTIONS /orders'),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /^Exception: CORS preflight route exempted by ExemptCorsPreflightRoutes=true/,
        options: { parameters: { ExemptCorsPreflightRoutes: 'true' } },
      },
      {
        title: 'an API with DisableExecuteApiEndpoint: true is not internet-facing',
        template: httpApi('      RouteKey: POST /partners', { api: '      DisableExecuteApiEndpoint: true' }),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /has no authorization/,
        also: (finding) => expect(finding.internetFacing).to.equal(false),
      },
    ]);
  });

  describe("exceptions in the API's Tags map", () => {
    templateTable(rule, [
      {
        title: 'a route-level exception by route key → COMPLIANT, with the exception',
        template: httpApi('      RouteKey: GET /health\n      AuthorizationType: NONE', {
          tags: `        authn-exception/APIGateway.8/GET /health: ${HEALTH}\n        authn-exception-expires/APIGateway.8/GET /health: '2099-12-31'`,
        }),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: new RegExp(`^Exception: ${HEALTH} \\(expires 2099-12-31\\)$`),
        also: (finding) =>
          expect(finding.exception).to.deep.equal({
            justification: HEALTH,
            expires: '2099-12-31',
            tagKey: 'authn-exception/APIGateway.8/GET /health',
            wide: false,
          }),
      },
      {
        title: 'a route-level exception by logical id → COMPLIANT',
        template: httpApi('      RouteKey: GET /health', {
          tags: `        authn-exception/APIGateway.8/Route: ${HEALTH}`,
        }),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /^Exception: .* \(no expiry\)$/,
      },
      {
        title: 'an exception for another route changes nothing',
        template: httpApi('      RouteKey: POST /partners', {
          tags: `        authn-exception/APIGateway.8/GET /health: ${HEALTH}`,
        }),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /has no authorization/,
        also: (finding) => expect(finding.exception).to.equal(null),
      },
      {
        title: 'an API-wide exception → COMPLIANT, said to be API-wide',
        template: httpApi('      RouteKey: POST /partners', {
          tags: '        authn-exception/APIGateway.8: deliberately public partner catalogue',
        }),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /^Exception: deliberately public partner catalogue \(API-wide exception, no expiry\)$/,
        also: (finding) => expect(finding.exception?.wide).to.equal(true),
      },
      {
        title: 'an expired exception → NON_COMPLIANT, naming the tag',
        template: httpApi('      RouteKey: GET /health', {
          tags: `        authn-exception/APIGateway.8/GET /health: ${HEALTH}\n        authn-exception-expires/APIGateway.8/GET /health: '2020-01-31'`,
        }),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Exception tag authn-exception-expires\/APIGateway\.8\/GET \/health not honoured: the exception expired on 2020-01-31\./,
      },
      {
        title: 'an exception without expiry when expiry is required → NON_COMPLIANT',
        template: httpApi('      RouteKey: GET /health', {
          tags: `        authn-exception/APIGateway.8/GET /health: ${HEALTH}`,
        }),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: /not honoured: it has no expiry tag/,
        options: { requireExpiry: true },
      },
      {
        title: 'a route-level exception also covers a route that cannot be verified before deploy',
        template: httpApi(
          '      RouteKey: GET /admin\n      AuthorizationType: !If [IsProd, AWS_IAM, NONE]',
          {
            tags: '        authn-exception/APIGateway.8/GET /admin: internal admin behind the VPN until March',
          },
        ),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /^Exception: internal admin behind the VPN until March/,
      },
      {
        title: 'exception tags written through a parameter Default count',
        template: httpApi('      RouteKey: GET /health', {
          parameters: `  Justification: {Type: String, Default: '${HEALTH}'}`,
          tags: '        authn-exception/APIGateway.8/GET /health: !Ref Justification',
        }),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /^Exception: public load balancer health probe/,
      },
    ]);

    it('lists an exception tag for a route that is not in the template as dangling', () => {
      // Prepare
      const template = httpApi('      RouteKey: GET /orders\n      AuthorizationType: JWT', {
        tags: `        authn-exception/APIGateway.8/GET /gone: ${HEALTH}`,
      });
      // Act
      const { dangling } = checkSnippet(rule, template);
      // Assess
      expect(dangling.map((tag) => [tag.resourceId, tag.tagKey, tag.file])).to.deep.equal([
        ['OrdersApi', 'authn-exception/APIGateway.8/GET /gone', 'stack.yaml'],
      ]);
    });
  });

  describe('WebSocket API routes (cdk-nag judges every route as if it were HTTP)', () => {
    templateTable(rule, [
      {
        title: 'a non-$connect route of an API whose $connect is authorized → NOT_APPLICABLE',
        template: webSocketApi(wsRoute('Connect', '$connect', 'AWS_IAM') + wsRoute('Send', 'sendMessage')),
        resourceId: 'Send',
        compliance: 'NOT_APPLICABLE',
        annotation:
          /^Route "sendMessage" of API "chat-ws" \(ChatApi\): WebSocket authorization is enforced on \$connect/,
      },
      {
        title: 'the $default route of such an API → NOT_APPLICABLE',
        template: webSocketApi(wsRoute('Connect', '$connect', 'CUSTOM') + wsRoute('Fallback', '$default')),
        resourceId: 'Fallback',
        compliance: 'NOT_APPLICABLE',
        annotation: /enforced on \$connect/,
      },
      {
        title: 'a non-$connect route of an API without $connect → NON_COMPLIANT, with the $connect fix',
        template: webSocketApi(wsRoute('Send', 'sendMessage')),
        resourceId: 'Send',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^WebSocket API "chat-ws" \(ChatApi\) has no \$connect route, so every connection is accepted/,
        also: (finding) =>
          expect(finding.remediation).to.equal(
            'Send in stack.yaml: add an AWS::ApiGatewayV2::Route with RouteKey $connect and AuthorizationType AWS_IAM or CUSTOM (with AuthorizerId)',
          ),
      },
      {
        title: '$connect with NONE → NON_COMPLIANT, with the WebSocket fix',
        template: webSocketApi(wsRoute('Connect', '$connect', 'NONE') + wsRoute('Send', 'sendMessage')),
        resourceId: 'Connect',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Route "\$connect" of API "chat-ws" \(ChatApi\) has no authorization \(NONE\).*Set AWS_IAM or a Lambda \(CUSTOM\) authorizer on \$connect/,
        also: (finding) =>
          expect(finding.remediation).to.equal(
            'Connect in stack.yaml: set AuthorizationType AWS_IAM or CUSTOM (with AuthorizerId) on the $connect route',
          ),
      },
      {
        title: '$connect with AuthorizationType from a parameter whose Default is AWS_IAM → COMPLIANT',
        template: webSocketApi(
          wsRoute('Connect', '$connect', '!Ref ConnectAuth') + wsRoute('Send', 'sendMessage'),
        ),
        resourceId: 'Connect',
        compliance: 'COMPLIANT',
        annotation: /requires AWS_IAM/,
      },
      {
        title: 'a $connect whose key comes from a parameter Default counts as $connect',
        template: webSocketApi(
          wsRoute('Connect', '!Ref ConnectKey', 'AWS_IAM') + wsRoute('Send', 'sendMessage'),
        ).replace('Parameters:', "Parameters:\n  ConnectKey: {Type: String, Default: '$connect'}"),
        resourceId: 'Send',
        compliance: 'NOT_APPLICABLE',
        annotation: /enforced on \$connect/,
      },
    ]);
  });

  describe('routes of an API outside the template', () => {
    templateTable(rule, [
      {
        title: 'an open route with an HTTP route key → NON_COMPLIANT',
        template: externalRoute('GET /orders', 'NONE'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Route "GET \/orders" of API "API outside this template" \(<api-id>\) has no authorization/,
      },
      {
        title:
          'an open route with a WebSocket-style key → NON_COMPLIANT, cannot be verified (WebSocket or not is unknown)',
        template: externalRoute('sendMessage', 'NONE'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: the route's API is not in this template, so whether it is a WebSocket API is unknown\. Define the route's API in this template/,
        also: (finding) =>
          expect(finding.remediation).to.equal(
            "Route in stack.yaml: define the route's API in this template so the check can tell HTTP from WebSocket (a WebSocket route is judged by its $connect), or document an exception tag",
          ),
      },
      {
        title:
          'an open $default route → NON_COMPLIANT, cannot be verified ($default exists on WebSocket APIs too)',
        template: externalRoute('$default', 'NONE'),
        resourceId: 'Route',
        compliance: 'NON_COMPLIANT',
        annotation: UNVERIFIABLE,
      },
      {
        title: 'an authorized route → COMPLIANT',
        template: externalRoute('sendMessage', 'CUSTOM'),
        resourceId: 'Route',
        compliance: 'COMPLIANT',
        annotation: /requires CUSTOM/,
      },
    ]);
  });

  describe('quick-create HTTP APIs and OpenAPI definitions', () => {
    templateTable(rule, [
      {
        title: 'a quick-create API (Target) without overrides → its implicit $default route is NON_COMPLIANT',
        template: quickCreate(),
        resourceId: 'QuickApi/$default',
        compliance: 'NON_COMPLIANT',
        annotation: /^Route "\$default" of API "quick-api" \(QuickApi\) has no authorization \(NONE\)/,
        also: (finding) => {
          expect(finding.resourceName).to.equal('quick-api $default');
          expect(finding.logicalId).to.equal('QuickApi');
          expect(finding.line).to.equal(lineOf(quickCreate(), '  QuickApi:'));
          expect(finding.remediation).to.match(
            /^QuickApi in stack\.yaml: add an AWS::ApiGatewayV2::ApiGatewayManagedOverrides with Route\.AuthorizationType/,
          );
        },
      },
      {
        title: 'a quick-create API with managed overrides setting JWT → COMPLIANT',
        template: quickCreate(override('JWT')),
        resourceId: 'QuickApi/$default',
        compliance: 'COMPLIANT',
        annotation: /requires JWT/,
      },
      {
        title:
          'a quick-create API with managed overrides setting NONE → NON_COMPLIANT, fixed and located in the override',
        template: quickCreate(override('NONE')),
        resourceId: 'QuickApi/$default',
        compliance: 'NON_COMPLIANT',
        annotation: /^Route "\$default" of API "quick-api" \(QuickApi\) has no authorization \(NONE\)/,
        also: (finding) => {
          expect(finding.logicalId).to.equal('QuickOverrides');
          expect(finding.line).to.equal(lineOf(quickCreate(override('NONE')), '  QuickOverrides:'));
          expect(finding.remediation).to.equal(
            'QuickOverrides in stack.yaml: set Route.AuthorizationType on the AWS::ApiGatewayV2::ApiGatewayManagedOverrides QuickOverrides to JWT or CUSTOM (with Route.AuthorizerId) or AWS_IAM',
          );
        },
      },
      {
        title:
          'the managed overrides resource gives no finding of its own: the API judges its $default route',
        template: quickCreate(override('JWT')),
        resourceId: 'QuickApi/$default',
        compliance: 'COMPLIANT',
        annotation: /requires JWT/,
        also: () => {
          const { findings } = checkSnippet(rule, quickCreate(override('JWT')));
          expect(findings.map((finding) => finding.resourceId)).to.deep.equal(['QuickApi/$default']);
        },
      },
      {
        title:
          'a quick-create API with overrides from a parameter without Default → NON_COMPLIANT, cannot be verified',
        template: quickCreate(override('!Ref NoDefault')),
        resourceId: 'QuickApi/$default',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: Route\.AuthorizationType is not known before deploy \(parameter NoDefault has no Default\)/,
      },
      {
        title: 'a quick-create API with an API-wide exception → COMPLIANT',
        template: quickCreate(
          '      Tags:\n        authn-exception/APIGateway.8: public webhook receiver, signature checked in code',
        ),
        resourceId: 'QuickApi/$default',
        compliance: 'COMPLIANT',
        annotation: /^Exception: public webhook receiver.*API-wide exception/,
      },
      {
        title:
          'an API imported from an OpenAPI Body → one finding per route: an operation without security is NONE',
        template: `
Resources:
  OpenApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: openapi-api
      Body:
        openapi: 3.0.1
        paths: {/orders: {get: {}}}
`,
        resourceId: 'OpenApi/GET /orders',
        compliance: 'NON_COMPLIANT',
        annotation: /^Route "GET \/orders" of API "openapi-api" \(OpenApi\) has no authorization \(NONE\)/,
        also: (finding) => {
          expect(finding.logicalId).to.equal('OpenApi');
          expect(finding.resourceName).to.equal('openapi-api GET /orders');
        },
      },
      {
        title: 'an API imported from BodyS3Location → NON_COMPLIANT, cannot be verified',
        template: `
Resources:
  OpenApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: openapi-api
      BodyS3Location: {Bucket: specs, Key: orders.yaml}
`,
        resourceId: 'OpenApi/openapi-routes',
        compliance: 'NON_COMPLIANT',
        annotation: UNVERIFIABLE,
      },
      {
        title: 'an OpenAPI API with an API-wide exception → COMPLIANT',
        template: `
Resources:
  OpenApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: openapi-api
      Body: {openapi: 3.0.1}
      Tags:
        authn-exception/APIGateway.8: routes authorized in the OpenAPI spec, reviewed
`,
        resourceId: 'OpenApi/openapi-routes',
        compliance: 'COMPLIANT',
        annotation: /^Exception: routes authorized in the OpenAPI spec/,
      },
    ]);

    it('reports nothing for an API without routes, Target or Body', () => {
      // Prepare
      const template =
        'Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: empty, ProtocolType: HTTP}\n';
      // Act
      const { findings } = checkSnippet(rule, template);
      // Assess
      expect(findings).to.deep.equal([]);
    });
  });
});
