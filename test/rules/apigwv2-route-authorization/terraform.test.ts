import { expect } from 'chai';
import { apigwv2RouteAuthorization as rule } from '../../../rules/apigwv2-route-authorization/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';
import { UNVERIFIABLE } from '../../helpers/templates';

const API = (name: string, after: Record<string, unknown> = {}): PlannedResource => ({
  address: `aws_apigatewayv2_api.${name}`,
  after: { name, protocol_type: 'HTTP', body: null, target: null, tags: null, ...after },
  unknown: { id: true, arn: true, tags_all: true },
});

const route = (
  name: string,
  after: Record<string, unknown>,
  references: readonly string[],
): PlannedResource => ({
  address: `aws_apigatewayv2_route.${name}`,
  after: { authorization_type: 'NONE', ...after },
  unknown: { api_id: true, id: true },
  expressions: { api_id: { references }, route_key: { constant_value: after.route_key } },
});

describe('APIGateway.8 terraform adapter', () => {
  planTable(rule, [
    {
      title: 'an existing API is found by the route’s known api_id',
      resources: [
        {
          address: 'aws_apigatewayv2_api.live',
          after: { id: 'abc123', name: 'live', protocol_type: 'HTTP' },
          actions: ['no-op'],
        },
        {
          address: 'aws_apigatewayv2_route.open',
          after: { api_id: 'abc123', route_key: 'GET /open', authorization_type: 'NONE' },
          unknown: { id: true },
        },
      ],
      resourceId: 'aws_apigatewayv2_route.open',
      compliance: 'NON_COMPLIANT',
      annotation: /^Route "GET \/open" of API "live" \(abc123\) has no authorization/,
    },
    {
      title: 'api_id that may be either of two APIs (decided at apply) cannot be verified',
      resources: [
        API('a'),
        API('b'),
        route('pick', { route_key: 'GET /x', authorization_type: 'JWT' }, [
          'aws_apigatewayv2_api.a.id',
          'aws_apigatewayv2_api.a',
          'aws_apigatewayv2_api.b.id',
          'aws_apigatewayv2_api.b',
        ]),
      ],
      resourceId: 'aws_apigatewayv2_route.pick',
      compliance: 'NON_COMPLIANT',
      annotation: /api_id may be any of aws_apigatewayv2_api\.a, aws_apigatewayv2_api\.b/,
    },
    {
      title: 'api_id through a local value (not in plan JSON) cannot be verified, and says so',
      resources: [API('a'), route('via_local', { route_key: 'GET /x' }, ['local.api_id'])],
      resourceId: 'aws_apigatewayv2_route.via_local',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy: .*it comes through local\.api_id/,
      also: (finding) => expect(finding.remediation).to.include('api_id = aws_apigatewayv2_api.<name>.id'),
    },
    {
      title: 'a route_key known only after apply cannot be verified',
      resources: [
        API('a'),
        {
          ...route('dynamic', {}, ['aws_apigatewayv2_api.a.id', 'aws_apigatewayv2_api.a']),
          unknown: { api_id: true, id: true, route_key: true },
        },
      ],
      resourceId: 'aws_apigatewayv2_route.dynamic',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy: route_key is known only after apply/,
    },
    {
      title:
        'a route on an API outside the plan with a WebSocket-style key cannot be told HTTP from WebSocket',
      resources: [
        {
          address: 'aws_apigatewayv2_route.send',
          after: { api_id: 'zzz999', route_key: 'sendmessage', authorization_type: 'NONE' },
          expressions: { api_id: { references: ['var.api_id'] } },
        },
      ],
      resourceId: 'aws_apigatewayv2_route.send',
      compliance: 'NON_COMPLIANT',
      annotation: /whether it is a WebSocket API is unknown/,
    },
    {
      title:
        'quick create with a target known only after apply (a function created in the same plan) cannot be verified',
      resources: [{ ...API('hook'), unknown: { id: true, target: true, tags_all: true } }],
      resourceId: 'aws_apigatewayv2_api.hook/$default',
      compliance: 'NON_COMPLIANT',
      annotation:
        /target is known only after apply, so whether API Gateway creates an open \$default route is not known/,
    },
    {
      title: 'quick create with its own route_key opens that route',
      resources: [
        API('hook', {
          target: 'arn:aws:lambda:us-east-1:123456789012:function:hook',
          route_key: 'POST /hook',
        }),
      ],
      resourceId: 'aws_apigatewayv2_api.hook/POST /hook',
      compliance: 'NON_COMPLIANT',
      annotation: /^Route "POST \/hook" of API "hook" .* has no authorization/,
    },
    {
      title: 'an API with its execute-api endpoint disabled is not ranked internet-facing',
      resources: [
        API('private', { disable_execute_api_endpoint: true }),
        route('open', { route_key: 'GET /x' }, [
          'aws_apigatewayv2_api.private.id',
          'aws_apigatewayv2_api.private',
        ]),
      ],
      resourceId: 'aws_apigatewayv2_route.open',
      compliance: 'NON_COMPLIANT',
      annotation: /has no authorization/,
      also: (finding) => expect(finding.internetFacing).to.equal(false),
    },
    {
      title: 'an OpenAPI body known only after apply cannot be verified',
      resources: [{ ...API('imported'), unknown: { id: true, body: true, tags_all: true } }],
      resourceId: 'aws_apigatewayv2_api.imported/openapi-routes',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'a YAML body (file("openapi.yaml")) is read per route: an operation with security [] is open',
      resources: [
        API('yaml', {
          body: [
            'openapi: "3.0.1"',
            'info: {title: yaml, version: "1"}',
            'security: [{iam: []}]',
            'components:',
            '  securitySchemes:',
            '    iam: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}',
            'paths:',
            '  /items:',
            '    get: {}',
            '    delete: {security: []}',
          ].join('\n'),
        }),
      ],
      resourceId: 'aws_apigatewayv2_api.yaml/DELETE /items',
      compliance: 'NON_COMPLIANT',
      annotation: /^Route "DELETE \/items" of API "yaml" .* has no authorization/,
      also: (finding) =>
        expect(finding.remediation).to.match(
          /give DELETE \/items a security requirement in the OpenAPI body/,
        ),
    },
    {
      title: 'a YAML body route under the document’s SigV4 security passes',
      resources: [
        API('yaml', {
          body: [
            'openapi: "3.0.1"',
            'security: [{iam: []}]',
            'components:',
            '  securitySchemes:',
            '    iam: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}',
            'paths:',
            '  /items:',
            '    get: {}',
          ].join('\n'),
        }),
      ],
      resourceId: 'aws_apigatewayv2_api.yaml/GET /items',
      compliance: 'COMPLIANT',
      annotation: /requires AWS_IAM/,
    },
    {
      title: 'x-amazon-apigateway-any-method with isDefaultRoute is the $default route',
      resources: [
        API('catchall', {
          body: JSON.stringify({
            openapi: '3.0.1',
            paths: { '/': { 'x-amazon-apigateway-any-method': { isDefaultRoute: true } } },
          }),
        }),
      ],
      resourceId: 'aws_apigatewayv2_api.catchall/$default',
      compliance: 'NON_COMPLIANT',
      annotation: /^Route "\$default" of API "catchall" .* has no authorization/,
    },
    {
      title: 'a body that is no OpenAPI definition cannot be verified',
      resources: [API('broken', { body: '{"swagger": "2.0"}' })],
      resourceId: 'aws_apigatewayv2_api.broken/openapi-routes',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy: body is not an OpenAPI 3\.0 definition with paths/,
    },
    {
      title: 'a route-level exception tag on the API exempts one body route',
      resources: [
        API('tagged', {
          body: JSON.stringify({ openapi: '3.0.1', paths: { '/health': { get: {} }, '/data': { get: {} } } }),
          tags: { 'authn-exception/APIGateway.8/GET /health': 'load balancer probe, returns no data' },
        }),
      ],
      resourceId: 'aws_apigatewayv2_api.tagged/GET /health',
      compliance: 'COMPLIANT',
      annotation: /^Exception: load balancer probe/,
    },
    {
      title: 'an API-wide exception tag exempts the route (tags_all known: a default tag counts)',
      resources: [
        {
          ...API('public', {
            tags_all: { 'authn-exception/APIGateway.8': 'public status page with no data behind it' },
          }),
          unknown: { id: true },
        },
        route('status', { route_key: 'GET /status' }, [
          'aws_apigatewayv2_api.public.id',
          'aws_apigatewayv2_api.public',
        ]),
      ],
      resourceId: 'aws_apigatewayv2_route.status',
      compliance: 'COMPLIANT',
      annotation: /^Exception: public status page/,
    },
  ]);
});
