/**
 * APIGateway.8 on an HTTP API whose routes come from OpenAPI (`Body`, or a `BodyS3Location` given as a local file):
 * one finding per route, through the real check-template path.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apigwv2RouteAuthorization } from '../../../rules/apigwv2-route-authorization/rule';
import { UNVERIFIABLE, checkSnippet, templateTable } from '../../helpers/templates';

const rule = apigwv2RouteAuthorization;

const BODY_API = `Resources:
  OrdersApi:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      Tags:
        authn-exception/APIGateway.8/GET /health: public load balancer probe, returns no data
      Body:
        openapi: '3.0.1'
        info: {title: orders, version: '1.0'}
        security:
          - Jwt: []
        components:
          securitySchemes:
            Jwt:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration: {audience: [orders], issuer: 'https://issuer.example.com'}
            Iam:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authtype: awsSigv4
        paths:
          /orders:
            get: {}
            post:
              security: []
          /admin:
            x-amazon-apigateway-any-method:
              security:
                - Iam: []
          /health:
            get:
              security: []
`;

describe('rules/apigwv2-route-authorization/openapi-routes', () => {
  templateTable(rule, [
    {
      title: 'a route under the document’s JWT security is COMPLIANT',
      template: BODY_API,
      resourceId: 'OrdersApi/GET /orders',
      compliance: 'COMPLIANT',
      annotation: /requires JWT/,
      also: (finding) => {
        expect(finding.line).to.equal(
          BODY_API.split('\n').findIndex((line) => line.trim() === 'get: {}') + 1,
        );
        expect(finding.resourceName).to.equal('orders GET /orders');
      },
    },
    {
      title: 'an operation whose empty security list removes the document’s is NON_COMPLIANT',
      template: BODY_API,
      resourceId: 'OrdersApi/POST /orders',
      compliance: 'NON_COMPLIANT',
      annotation: /"POST \/orders" .* has no authorization \(NONE\)/,
    },
    {
      title: 'the catch-all method on IAM is ANY and AWS_IAM',
      template: BODY_API,
      resourceId: 'OrdersApi/ANY /admin',
      compliance: 'COMPLIANT',
      annotation: /requires AWS_IAM/,
    },
    {
      title: 'a route-key exception tag on the API exempts an open OpenAPI route',
      template: BODY_API,
      resourceId: 'OrdersApi/GET /health',
      compliance: 'COMPLIANT',
      annotation: /^Exception: public load balancer probe/,
    },
    {
      title: 'a BodyS3Location the command line does not map cannot be verified, naming the object',
      template: `Resources:
  S3Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      BodyS3Location: {Bucket: specs, Key: orders/openapi.yaml}
`,
      resourceId: 'S3Api/openapi-routes',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
      also: (finding) => {
        expect(finding.annotation).to.include('s3://specs/orders/openapi.yaml');
        expect(finding.remediation).to.include('--s3-file');
      },
    },
  ]);

  it('reads a BodyS3Location from the local file the command line maps it to', () => {
    // Prepare
    const folder = mkdtempSync(join(tmpdir(), 'authn-openapi-'));
    const spec = join(folder, 'openapi.json');
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.0.1',
        info: { title: 'specs', version: '1' },
        paths: { '/open': { get: {} } },
      }),
    );
    const template = `Resources:
  S3Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      BodyS3Location: {Bucket: specs, Key: orders/openapi.json}
`;
    // Act
    const { findings } = checkSnippet(rule, template, {
      s3Files: { 's3://specs/orders/openapi.json': spec },
    });
    // Assess
    expect(findings.map((f) => [f.resourceId, f.compliance])).to.deep.equal([
      ['S3Api/GET /open', 'NON_COMPLIANT'],
    ]);
  });

  it('reads a Body given as JSON text', () => {
    // Prepare
    const body = JSON.stringify({
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: { '/a': { get: { 'x-amazon-apigateway-auth': { type: 'AWS_IAM' } } } },
    });
    const template = JSON.stringify({
      Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Body: body } } },
    });
    // Act
    const { findings } = checkSnippet(rule, template);
    // Assess
    expect(findings.map((f) => [f.resourceId, f.compliance])).to.deep.equal([['Api/GET /a', 'COMPLIANT']]);
  });
});
