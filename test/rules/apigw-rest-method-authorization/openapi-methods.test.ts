/**
 * AUTHN-APIGW-REST on a REST API whose methods come from an OpenAPI or Swagger definition (`Body`, or a
 * `BodyS3Location` given as a local file): one finding per path × method, through the real check-template path.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apigwRestMethodAuthorization as rule } from '../../../rules/apigw-rest-method-authorization/rule';
import { UNVERIFIABLE, checkSnippet, templateTable } from '../../helpers/templates';

/** A Swagger 2.0 shop API as the developer guide's examples write one: Cognito, token, request, IAM and a key. */
const SWAGGER_API = `Resources:
  ShopApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: shop-rest
      EndpointConfiguration: {Types: [REGIONAL]}
      Tags:
        - {Key: 'authn-exception/AUTHN-APIGW-REST/GET /health', Value: 'load balancer probe, returns no data'}
      Body:
        swagger: '2.0'
        info: {title: shop, version: '1.0'}
        security:
          - ShopCognito: []
        securityDefinitions:
          ShopCognito:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: cognito_user_pools
            x-amazon-apigateway-authorizer:
              type: cognito_user_pools
              providerARNs: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_example']
          ShopToken:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: token
              authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:token/invocations
          ShopRequest:
            type: apiKey
            name: Unused
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: request
              identitySource: method.request.header.X-Tenant
          sigv4:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: awsSigv4
          api_key:
            type: apiKey
            name: x-api-key
            in: header
        paths:
          /orders:
            get: {}
            post:
              security:
                - ShopToken: []
                - api_key: []
            options:
              security: []
          /tenants:
            put:
              security:
                - ShopRequest: []
          /admin:
            x-amazon-apigateway-any-method:
              security:
                - sigv4: []
          /catalog:
            get:
              security:
                - api_key: []
          /health:
            get:
              security: []
          /both:
            get:
              security:
                - ShopToken: []
                - ShopRequest: []
`;

describe('rules/apigw-rest-method-authorization/openapi-methods', () => {
  templateTable(rule, [
    {
      title: 'a method under the document’s Cognito security is COMPLIANT, located at its operation',
      template: SWAGGER_API,
      resourceId: 'ShopApi/GET /orders',
      compliance: 'COMPLIANT',
      annotation: /^Method "GET \/orders" of REST API "shop-rest" \(ShopApi\) requires COGNITO_USER_POOLS/,
      also: (finding) => {
        expect(finding.line).to.equal(
          SWAGGER_API.split('\n').findIndex((line) => line.trim() === 'get: {}') + 1,
        );
        expect(finding.resourceName).to.equal('shop-rest GET /orders');
        expect(finding.internetFacing).to.equal(true);
      },
    },
    {
      title: 'a token authorizer with an API key beside it is CUSTOM: both requirements apply',
      template: SWAGGER_API,
      resourceId: 'ShopApi/POST /orders',
      compliance: 'COMPLIANT',
      annotation: /requires CUSTOM/,
    },
    {
      title: 'a request authorizer is CUSTOM',
      template: SWAGGER_API,
      resourceId: 'ShopApi/PUT /tenants',
      compliance: 'COMPLIANT',
      annotation: /requires CUSTOM/,
    },
    {
      title: 'the catch-all method on an awsSigv4 scheme is ANY and AWS_IAM',
      template: SWAGGER_API,
      resourceId: 'ShopApi/ANY /admin',
      compliance: 'COMPLIANT',
      annotation: /"ANY \/admin" .* requires AWS_IAM/,
    },
    {
      title: 'an API key alone is no authentication: NON_COMPLIANT, naming the key',
      template: SWAGGER_API,
      resourceId: 'ShopApi/GET /catalog',
      compliance: 'NON_COMPLIANT',
      annotation: /has no authorization \(NONE\)\. An API key is required, but a key is a shared string/,
      also: (finding) =>
        expect(finding.remediation).to.match(/in the OpenAPI definition a security requirement/),
    },
    {
      title: 'an empty security list removes the document’s: OPTIONS is NON_COMPLIANT without the exemption',
      template: SWAGGER_API,
      resourceId: 'ShopApi/OPTIONS /orders',
      compliance: 'NON_COMPLIANT',
      annotation: /"OPTIONS \/orders" .* has no authorization \(NONE\)\. Anyone can call it/,
    },
    {
      title: 'a method-qualified exception tag on the API exempts an open OpenAPI method',
      template: SWAGGER_API,
      resourceId: 'ShopApi/GET /health',
      compliance: 'COMPLIANT',
      annotation: /^Exception: load balancer probe, returns no data/,
    },
    {
      title: 'two authorizers on one method cannot both attach: cannot be verified',
      template: SWAGGER_API,
      resourceId: 'ShopApi/GET /both',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy.*names 2 authorizers/,
    },
    {
      title: 'OpenAPI 3 securitySchemes, a YAML Body given as text, with the base path prepended',
      template: `Resources:
  TextApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Parameters: {basepath: prepend}
      Body: |
        swagger: '2.0'
        info: {title: text-api, version: '1'}
        basePath: /v1
        paths:
          /pets:
            get:
              x-amazon-apigateway-auth: {type: NONE}
`,
      resourceId: 'TextApi/GET /v1/pets',
      compliance: 'NON_COMPLIANT',
      annotation: /Method "GET \/v1\/pets" of REST API "text-api" \(TextApi\) has no authorization/,
    },
    {
      title: 'a BodyS3Location the command line does not map cannot be verified, naming the object',
      template: `Resources:
  S3Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      BodyS3Location: {Bucket: specs, Key: shop/swagger.yaml}
`,
      resourceId: 'S3Api/openapi-methods',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
      also: (finding) => {
        expect(finding.annotation).to.include('s3://specs/shop/swagger.yaml');
        expect(finding.remediation).to.include('--s3-file');
      },
    },
    {
      title: 'a security requirement built at deploy cannot be verified, and names the method',
      template: `Resources:
  DeployApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        openapi: 3.0.1
        info: {title: deploy, version: '1'}
        paths:
          /x:
            get:
              security: !If [Prod, [{sigv4: []}], []]
`,
      resourceId: 'DeployApi/GET /x',
      compliance: 'NON_COMPLIANT',
      annotation: /cannot be verified before deploy.*GET \/x/,
    },
  ]);

  it('reads a BodyS3Location from the local file the command line maps it to', () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'authn-rest-openapi-'));
    const spec = join(folder, 'openapi.json');
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.0.1',
        info: { title: 'specs', version: '1' },
        components: {
          securitySchemes: {
            sigv4: {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authtype': 'awsSigv4',
            },
          },
        },
        paths: { '/open': { get: {} }, '/signed': { post: { security: [{ sigv4: [] }] } } },
      }),
    );
    const template = `Resources:
  S3Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      BodyS3Location: {Bucket: specs, Key: shop/openapi.json}
`;
    // Act
    const { findings } = checkSnippet(rule, template, {
      s3Files: { 's3://specs/shop/openapi.json': spec },
    });
    // Assess
    expect(findings.map((f) => [f.resourceId, f.compliance])).to.deep.equal([
      ['S3Api/GET /open', 'NON_COMPLIANT'],
      ['S3Api/POST /signed', 'COMPLIANT'],
    ]);
  });

  it('gives a REST API with no paths no method to judge', () => {
    // Prepare
    const template = `Resources:
  Empty:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body: {openapi: 3.0.1, info: {title: empty, version: '1'}, paths: {}}
`;
    // Act
    const { findings } = checkSnippet(rule, template);
    // Assess
    expect(findings).to.deep.equal([]);
  });
});
