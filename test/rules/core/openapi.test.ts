/**
 * OpenAPI security read as API Gateway's import reads it: routes from paths × methods, an operation's security over
 * the document's, the API Gateway extensions for authorizers, IAM and the catch-all method, in both dialects.
 */
import { expect } from 'chai';
import {
  openApiDisablesEndpoint,
  openApiRoutes,
  openApiTags,
  restApiMethods,
  type OpenApiAuthorization,
} from '../../../rules/core/openapi';

/** A JWT authorizer, a Lambda (request) authorizer and IAM, as SAM writes an HttpApi's securitySchemes. */
const SCHEMES = {
  OAuth2: {
    type: 'oauth2',
    'x-amazon-apigateway-authorizer': {
      type: 'jwt',
      identitySource: '$request.header.Authorization',
      jwtConfiguration: { audience: ['orders'], issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/pool' },
    },
  },
  LambdaAuth: {
    type: 'apiKey',
    name: 'Unused',
    in: 'header',
    'x-amazon-apigateway-authorizer': { type: 'request', authorizerPayloadFormatVersion: '2.0' },
  },
  AWS_IAM: {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    'x-amazon-apigateway-authtype': 'awsSigv4',
  },
  PlainKey: { type: 'apiKey', name: 'x-api-key', in: 'header' },
};

const integration = { 'x-amazon-apigateway-integration': { type: 'aws_proxy', payloadFormatVersion: '2.0' } };

function document(
  paths: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title: 'orders', version: '1.0' },
    paths,
    components: { securitySchemes: SCHEMES },
    ...extra,
  };
}

const only = (doc: Record<string, unknown>): OpenApiAuthorization => {
  const routes = openApiRoutes(doc);
  expect(routes).to.have.length(1);
  return routes[0]!.authorization;
};

describe('rules/core/openapi', () => {
  describe('routes: paths × methods', () => {
    it('names each route as API Gateway does, ANY for the catch-all method and $default for the default route', () => {
      // Prepare
      const doc = document({
        '/orders': { get: integration, post: integration, parameters: [], summary: 'orders' },
        '/{proxy+}': { 'x-amazon-apigateway-any-method': integration },
        $default: { 'x-amazon-apigateway-any-method': { ...integration, isDefaultRoute: true } },
      });
      // Act
      const keys = openApiRoutes(doc).map((route) => route.routeKey);
      // Assess
      expect(keys).to.deep.equal(['GET /orders', 'POST /orders', 'ANY /{proxy+}', '$default']);
    });

    it('reads both branches of a method SAM made conditional, and none that is AWS::NoValue', () => {
      // Prepare
      const doc = document({
        '/reports': {
          get: {
            'Fn::If': ['IsProd', { ...integration, security: [{ OAuth2: [] }] }, { Ref: 'AWS::NoValue' }],
          },
          post: { 'Fn::If': ['IsProd', { ...integration, security: [{ OAuth2: [] }] }, integration] },
        },
      });
      // Act
      const routes = openApiRoutes(doc);
      // Assess
      expect(routes.map((route) => [route.routeKey, route.authorization.kind])).to.deep.equal([
        ['GET /reports', 'type'],
        ['POST /reports', 'none'],
      ]);
    });
  });

  describe('authorization of a route', () => {
    const rows: readonly {
      title: string;
      doc: Record<string, unknown>;
      expected: Partial<{ kind: string; type: string; why: RegExp; reason: RegExp }>;
    }[] = [
      {
        title: 'a JWT authorizer (x-amazon-apigateway-authorizer type jwt) is JWT',
        doc: document({ '/a': { get: { ...integration, security: [{ OAuth2: ['orders.read'] }] } } }),
        expected: { kind: 'type', type: 'JWT' },
      },
      {
        title: 'a Lambda request authorizer is CUSTOM',
        doc: document({ '/a': { get: { ...integration, security: [{ LambdaAuth: [] }] } } }),
        expected: { kind: 'type', type: 'CUSTOM' },
      },
      {
        title: 'an apiKey scheme with x-amazon-apigateway-authtype awsSigv4 is AWS_IAM',
        doc: document({ '/a': { get: { ...integration, security: [{ AWS_IAM: [] }] } } }),
        expected: { kind: 'type', type: 'AWS_IAM' },
      },
      {
        title: 'x-amazon-apigateway-auth AWS_IAM on the operation (any case) is AWS_IAM',
        doc: document({ '/a': { get: { ...integration, 'x-amazon-apigateway-auth': { type: 'aws_iam' } } } }),
        expected: { kind: 'type', type: 'AWS_IAM' },
      },
      {
        title: 'the document’s security applies to an operation without its own',
        doc: document({ '/a': { get: integration } }, { security: [{ OAuth2: [] }] }),
        expected: { kind: 'type', type: 'JWT' },
      },
      {
        title: 'an operation’s empty security list removes the document’s',
        doc: document({ '/a': { get: { ...integration, security: [] } } }, { security: [{ OAuth2: [] }] }),
        expected: { kind: 'none', why: /empty list/ },
      },
      {
        title: 'no security anywhere is none',
        doc: document({ '/a': { get: integration } }),
        expected: { kind: 'none', why: /neither the operation nor the document/ },
      },
      {
        title: 'a requirement naming no declared scheme is none (SAM’s NONE under a default authorizer)',
        doc: document({ '/a': { get: { ...integration, security: [{ NONE: [] }] } } }),
        expected: { kind: 'none', why: /"NONE", which no security scheme declares/ },
      },
      {
        title: 'an empty requirement {} among alternatives makes the route open',
        doc: document({ '/a': { get: { ...integration, security: [{ OAuth2: [] }, {}] } } }),
        expected: { kind: 'none', why: /anonymous/ },
      },
      {
        title: 'a plain apiKey scheme is no API Gateway authorizer',
        doc: document({ '/a': { get: { ...integration, security: [{ PlainKey: [] }] } } }),
        expected: { kind: 'none', why: /no API Gateway authorizer/ },
      },
      {
        title: 'x-amazon-apigateway-auth NONE opens the route whatever its security says',
        doc: document({
          '/a': {
            get: { ...integration, security: [{ OAuth2: [] }], 'x-amazon-apigateway-auth': { type: 'NONE' } },
          },
        }),
        expected: { kind: 'none', why: /x-amazon-apigateway-auth type is NONE/ },
      },
      {
        title: 'an authorizer type API Gateway does not define cannot be verified',
        doc: document(
          { '/a': { get: { ...integration, security: [{ Odd: [] }] } } },
          {
            components: { securitySchemes: { Odd: { 'x-amazon-apigateway-authorizer': { type: 'saml' } } } },
          },
        ),
        expected: { kind: 'unknown', reason: /"saml", which API Gateway does not define/ },
      },
      {
        title: 'security written with an intrinsic cannot be verified',
        doc: document({
          '/a': { get: { ...integration, security: { 'Fn::If': ['C', [{ OAuth2: [] }], []] } } },
        }),
        expected: { kind: 'unknown', reason: /set at deploy/ },
      },
      {
        title: 'Swagger 2.0 securityDefinitions (a REST API) are read the same way',
        doc: {
          swagger: '2.0',
          info: { title: 'rest', version: '1' },
          paths: { '/a': { get: { ...integration, security: [{ Pool: [] }] } } },
          securityDefinitions: {
            Pool: {
              type: 'apiKey',
              'x-amazon-apigateway-authtype': 'cognito_user_pools',
              'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools' },
            },
          },
        },
        expected: { kind: 'type', type: 'COGNITO_USER_POOLS' },
      },
    ];
    for (const row of rows) {
      it(row.title, () => {
        // Act
        const authorization = only(row.doc);
        // Assess
        expect(authorization.kind).to.equal(row.expected.kind);
        if (authorization.kind === 'type') expect(authorization.type).to.equal(row.expected.type);
        if (authorization.kind === 'none') expect(authorization.why).to.match(row.expected.why ?? /./);
        if (authorization.kind === 'unknown')
          expect(authorization.reason).to.match(row.expected.reason ?? /./);
      });
    }
  });

  describe('tags and the endpoint', () => {
    it('reads API tags from the document’s tags list (x-amazon-apigateway-tag-value), as SAM writes them', () => {
      // Prepare
      const doc = document(
        {},
        {
          tags: [
            { name: 'httpapi:createdBy', 'x-amazon-apigateway-tag-value': 'SAM' },
            {
              name: 'authn-exception/APIGateway.8/GET /health',
              'x-amazon-apigateway-tag-value': 'public probe for the balancer',
            },
            { name: 'docs-only', description: 'an OpenAPI tag, no API tag' },
          ],
        },
      );
      // Act
      const tags = openApiTags(doc);
      // Assess
      expect(tags).to.deep.equal({
        'httpapi:createdBy': 'SAM',
        'authn-exception/APIGateway.8/GET /health': 'public probe for the balancer',
      });
    });

    it('sees disableExecuteApiEndpoint in x-amazon-apigateway-endpoint-configuration, as SAM writes it', () => {
      // Act and Assess
      expect(
        openApiDisablesEndpoint(
          document(
            {},
            {
              servers: [
                { 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } },
              ],
            },
          ),
        ),
      ).to.equal(true);
      expect(openApiDisablesEndpoint(document({}))).to.equal(false);
    });
  });
  describe('REST API methods: every requirement of the list applies at once', () => {
    /** A Swagger 2.0 document with the schemes of SCHEMES plus the usage-plan key, as SAM writes a REST API's. */
    const swagger = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      swagger: '2.0',
      info: { title: 'shop', version: '1.0' },
      securityDefinitions: {
        ...SCHEMES,
        Cognito: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:pool'] },
        },
        Token: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': { type: 'token' },
        },
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      },
      paths,
      ...extra,
    });
    const rows = (doc: Record<string, unknown>, basePath?: 'prepend' | 'split') =>
      restApiMethods(doc, basePath).map((method) => [
        `${method.httpMethod} ${method.path}`,
        method.authorization.kind === 'type' ? method.authorization.type : method.authorization.kind,
        method.apiKeyRequired,
      ]);

    it('reads authorizer, IAM and key requirements as the import applies them, ANY for the catch-all', () => {
      // Prepare
      const doc = swagger({
        '/orders': {
          get: { security: [{ Cognito: [] }, { api_key: [] }] },
          post: { security: [{ Token: [] }] },
          options: { security: [{ api_key: [] }] },
          parameters: [],
        },
        '/admin': { 'x-amazon-apigateway-any-method': { security: [{ AWS_IAM: [] }] } },
        '/open': { head: { security: [{ NONE: [] }, { api_key: [] }] }, patch: {} },
      });
      // Act and Assess
      expect(rows(doc)).to.deep.equal([
        ['GET /orders', 'COGNITO_USER_POOLS', true],
        ['POST /orders', 'CUSTOM', false],
        ['OPTIONS /orders', 'none', true],
        ['ANY /admin', 'AWS_IAM', false],
        ['HEAD /open', 'none', true],
        ['PATCH /open', 'none', false],
      ]);
    });

    it('an operation’s security replaces the document’s, and an empty list removes it', () => {
      // Prepare
      const doc = swagger(
        { '/a': { get: {}, put: { security: [] }, post: { security: [{ AWS_IAM: [] }] } } },
        { security: [{ Token: [] }] },
      );
      // Act and Assess
      expect(rows(doc)).to.deep.equal([
        ['GET /a', 'CUSTOM', false],
        ['PUT /a', 'none', false],
        ['POST /a', 'AWS_IAM', false],
      ]);
    });

    it('two different authorizers on one method, or an intrinsic, cannot be verified', () => {
      // Prepare
      const doc = swagger({
        '/a': { get: { security: [{ Token: [] }, { Cognito: [] }] }, put: { security: { Ref: 'Sec' } } },
      });
      // Act
      const methods = restApiMethods(doc);
      // Assess
      expect(methods.map((method) => method.authorization.kind)).to.deep.equal(['unknown', 'unknown']);
      expect(methods[0]?.authorization).to.deep.include({
        reason: 'its security names 2 authorizers ("Token", "Cognito"), and a REST method takes one',
      });
    });

    it('applies basePath as the import’s basepath mode says (ignore by default)', () => {
      // Prepare
      const doc = swagger({ '/pets': { get: {} } }, { basePath: '/v1/store' });
      // Act and Assess
      expect(rows(doc)[0]?.[0]).to.equal('GET /pets');
      expect(rows(doc, 'prepend')[0]?.[0]).to.equal('GET /v1/store/pets');
      expect(rows(doc, 'split')[0]?.[0]).to.equal('GET /store/pets');
    });
  });
});
