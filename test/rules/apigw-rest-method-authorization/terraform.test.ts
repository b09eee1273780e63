import { expect } from 'chai';
import { apigwRestMethodAuthorization as rule } from '../../../rules/apigw-rest-method-authorization/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';
import { UNVERIFIABLE } from '../../helpers/templates';

const ref = (target: string, attribute = 'id'): Record<string, unknown> => ({
  references: [`${target}.${attribute}`, target],
});

const API = (
  after: Record<string, unknown> = {},
  unknown: Record<string, unknown> = {},
): PlannedResource => ({
  address: 'aws_api_gateway_rest_api.shop',
  after: {
    name: 'shop',
    body: null,
    tags: null,
    endpoint_configuration: [{ types: ['REGIONAL'] }],
    ...after,
  },
  unknown: { id: true, arn: true, root_resource_id: true, tags_all: true, ...unknown },
});

/** `/orders` under the API's root, and `/orders/{id}` under it. */
const RESOURCES: readonly PlannedResource[] = [
  {
    address: 'aws_api_gateway_resource.orders',
    after: { path_part: 'orders' },
    unknown: { id: true, path: true, parent_id: true, rest_api_id: true },
    expressions: {
      rest_api_id: ref('aws_api_gateway_rest_api.shop'),
      parent_id: ref('aws_api_gateway_rest_api.shop', 'root_resource_id'),
    },
  },
  {
    address: 'aws_api_gateway_resource.order',
    after: { path_part: '{id}' },
    unknown: { id: true, path: true, parent_id: true, rest_api_id: true },
    expressions: {
      rest_api_id: ref('aws_api_gateway_rest_api.shop'),
      parent_id: ref('aws_api_gateway_resource.orders'),
    },
  },
];

const method = (
  after: Record<string, unknown>,
  resource = 'aws_api_gateway_resource.order',
  unknown: Record<string, unknown> = {},
): PlannedResource => ({
  address: 'aws_api_gateway_method.this',
  after: { http_method: 'GET', authorization: 'NONE', api_key_required: false, ...after },
  unknown: { id: true, rest_api_id: true, resource_id: true, ...unknown },
  expressions: {
    rest_api_id: ref('aws_api_gateway_rest_api.shop'),
    resource_id:
      resource === 'root' ? ref('aws_api_gateway_rest_api.shop', 'root_resource_id') : ref(resource),
  },
});

const body = (document: unknown): PlannedResource => API({ body: JSON.stringify(document) });

describe('AUTHN-APIGW-REST terraform adapter', () => {
  planTable(rule, [
    {
      title: 'authorization AWS_IAM → COMPLIANT, with the path rebuilt from the resource chain',
      resources: [API(), ...RESOURCES, method({ authorization: 'AWS_IAM' })],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'COMPLIANT',
      annotation:
        /^Method "GET \/orders\/\{id\}" of REST API "shop" \(aws_api_gateway_rest_api\.shop\) requires AWS_IAM/,
      also: (finding) => {
        expect(finding.resourceName).to.equal('shop GET /orders/{id}');
        expect(finding.internetFacing).to.equal(true);
      },
    },
    {
      title: 'NONE with api_key_required → NON_COMPLIANT, naming the key',
      resources: [API(), ...RESOURCES, method({ api_key_required: true })],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'NON_COMPLIANT',
      annotation: /An API key is required, but a key is a shared string, not an identity/,
      also: (finding) => expect(finding.remediation).to.match(/set authorization = "AWS_IAM"/),
    },
    {
      title: 'a method on the root resource is "/"',
      resources: [API(), method({ http_method: 'ANY' }, 'root')],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'NON_COMPLIANT',
      annotation: /^Method "ANY \/" of REST API "shop"/,
    },
    {
      title: 'OPTIONS without authorization passes with ExemptCorsPreflightMethods=true',
      resources: [API(), ...RESOURCES, method({ http_method: 'OPTIONS' })],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'COMPLIANT',
      annotation: /CORS preflight method exempted by ExemptCorsPreflightMethods=true/,
      options: { parameters: { ExemptCorsPreflightMethods: 'true' } },
    },
    {
      title: 'OPTIONS without authorization fails by default',
      resources: [API(), ...RESOURCES, method({ http_method: 'OPTIONS' })],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'NON_COMPLIANT',
      annotation: /has no authorization \(NONE\)/,
    },
    {
      title: 'a method-qualified exception tag on the API exempts the method',
      resources: [
        API({
          tags: {
            'authn-exception/AUTHN-APIGW-REST/GET /orders': 'public order tracking, no personal data',
          },
        }),
        ...RESOURCES,
        method({}, 'aws_api_gateway_resource.orders'),
      ],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'COMPLIANT',
      annotation: /^Exception: public order tracking/,
    },
    {
      title: 'a PRIVATE-only API is not ranked internet-facing',
      resources: [API({ endpoint_configuration: [{ types: ['PRIVATE'] }] }), ...RESOURCES, method({})],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'NON_COMPLIANT',
      annotation: /has no authorization/,
      also: (finding) => expect(finding.internetFacing).to.equal(false),
    },
    {
      title: 'an existing resource (state, or no-op) gives its known path',
      resources: [
        { ...API({ id: 'a1b2c3', root_resource_id: 'r00t' }), unknown: {}, actions: ['no-op'] },
        {
          address: 'aws_api_gateway_resource.orders',
          after: {
            id: 'res123',
            path: '/orders',
            path_part: 'orders',
            parent_id: 'r00t',
            rest_api_id: 'a1b2c3',
          },
          actions: ['no-op'],
        },
        {
          address: 'aws_api_gateway_method.this',
          after: { http_method: 'POST', authorization: 'NONE', rest_api_id: 'a1b2c3', resource_id: 'res123' },
          unknown: { id: true },
        },
      ],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'NON_COMPLIANT',
      annotation: /^Method "POST \/orders" of REST API "shop" \(a1b2c3\)/,
    },
    {
      title: 'authorization known only after apply cannot be verified',
      resources: [
        API(),
        ...RESOURCES,
        method({ authorization: null }, 'aws_api_gateway_resource.order', { authorization: true }),
      ],
      resourceId: 'aws_api_gateway_method.this',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'a body method under a cognito_user_pools authorizer → COMPLIANT',
      resources: [
        body({
          swagger: '2.0',
          securityDefinitions: {
            users: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authtype': 'cognito_user_pools',
              'x-amazon-apigateway-authorizer': {
                type: 'cognito_user_pools',
                providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_X'],
              },
            },
          },
          paths: { '/orders': { get: { security: [{ users: [] }] } } },
        }),
      ],
      resourceId: 'aws_api_gateway_rest_api.shop/GET /orders',
      compliance: 'COMPLIANT',
      annotation: /requires COGNITO_USER_POOLS/,
    },
    {
      title:
        'a body method with only the x-api-key scheme → NON_COMPLIANT (a key is no identity), fixed in the body',
      resources: [
        body({
          swagger: '2.0',
          securityDefinitions: { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
          paths: { '/orders': { post: { security: [{ api_key: [] }] } } },
        }),
      ],
      resourceId: 'aws_api_gateway_rest_api.shop/POST /orders',
      compliance: 'NON_COMPLIANT',
      annotation:
        /^Method "POST \/orders" of REST API "shop" .* has no authorization \(NONE\)\. An API key is required/,
      also: (finding) =>
        expect(finding.remediation).to.match(/give POST \/orders a security requirement in the OpenAPI body/),
    },
    {
      title: 'x-amazon-apigateway-any-method in a body is ANY',
      resources: [
        body({ openapi: '3.0.1', paths: { '/{proxy+}': { 'x-amazon-apigateway-any-method': {} } } }),
      ],
      resourceId: 'aws_api_gateway_rest_api.shop/ANY /{proxy+}',
      compliance: 'NON_COMPLIANT',
      annotation: /^Method "ANY \/\{proxy\+\}"/,
    },
    {
      title: 'parameters = { basepath = "prepend" } puts the definition’s basePath in front of each path',
      resources: [
        API({
          parameters: { basepath: 'prepend' },
          body: JSON.stringify({ swagger: '2.0', basePath: '/v1', paths: { '/orders': { get: {} } } }),
        }),
      ],
      resourceId: 'aws_api_gateway_rest_api.shop/GET /v1/orders',
      compliance: 'NON_COMPLIANT',
      annotation: /^Method "GET \/v1\/orders" of REST API "shop"/,
    },
    {
      title: 'a body known only after apply cannot be verified',
      resources: [API({}, { body: true })],
      resourceId: 'aws_api_gateway_rest_api.shop/openapi-methods',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy: body is known only after apply/,
    },
  ]);
});
