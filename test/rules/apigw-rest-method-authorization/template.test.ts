import { expect } from 'chai';
import { apigwRestMethodAuthorization as rule } from '../../../rules/apigw-rest-method-authorization/rule';
import { UNVERIFIABLE, templateTable } from '../../helpers/templates';

/** A regional REST API `shop-rest` with `/orders/{id}` and the given method. */
function api(method: string, apiTags = '', endpoint = 'REGIONAL'): string {
  return `
Parameters:
  NoDefault: {Type: String}
Resources:
  ShopApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: shop-rest
      EndpointConfiguration: {Types: [${endpoint}]}
      Tags:
        - {Key: team, Value: shop}
${apiTags}
  Orders:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref ShopApi, ParentId: !GetAtt ShopApi.RootResourceId, PathPart: orders}
  Order:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref ShopApi, ParentId: !Ref Orders, PathPart: '{id}'}
  OrderMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref ShopApi
      ResourceId: !Ref Order
      Integration: {Type: MOCK}
${method}
`;
}

describe('AUTHN-APIGW-REST template adapter', () => {
  templateTable(rule, [
    {
      title: 'AuthorizationType AWS_IAM → COMPLIANT, with the path rebuilt from the resources',
      template: api('      HttpMethod: GET\n      AuthorizationType: AWS_IAM'),
      resourceId: 'OrderMethod',
      compliance: 'COMPLIANT',
      annotation: /^Method "GET \/orders\/\{id\}" of REST API "shop-rest" \(ShopApi\) requires AWS_IAM/,
      also: (finding) => {
        expect(finding.resourceType).to.equal('AWS::ApiGateway::Method');
        expect(finding.resourceName).to.equal('shop-rest GET /orders/{id}');
        expect(finding.internetFacing).to.equal(true);
      },
    },
    {
      title: 'AuthorizationType NONE with ApiKeyRequired → NON_COMPLIANT, naming the key',
      template: api('      HttpMethod: GET\n      AuthorizationType: NONE\n      ApiKeyRequired: true'),
      resourceId: 'OrderMethod',
      compliance: 'NON_COMPLIANT',
      annotation: /An API key is required, but a key is a shared string, not an identity/,
      also: (finding) =>
        expect(finding.remediation).to.match(/OrderMethod in stack\.yaml: set AuthorizationType/),
    },
    {
      title: 'no AuthorizationType → NON_COMPLIANT (NONE)',
      template: api('      HttpMethod: POST'),
      resourceId: 'OrderMethod',
      compliance: 'NON_COMPLIANT',
      annotation: /"POST \/orders\/\{id\}" .* has no authorization \(NONE\)/,
    },
    {
      title: 'a private API fails the same way and is not internet-facing',
      template: api('      HttpMethod: GET\n      AuthorizationType: NONE', '', 'PRIVATE'),
      resourceId: 'OrderMethod',
      compliance: 'NON_COMPLIANT',
      annotation: /has no authorization/,
      also: (finding) => expect(finding.internetFacing).to.equal(false),
    },
    {
      title: 'a tag naming a path with { } (not tag-safe) qualifies nothing: stays NON_COMPLIANT',
      template: api(
        '      HttpMethod: GET\n      AuthorizationType: NONE',
        "        - {Key: 'authn-exception/AUTHN-APIGW-REST/GET /orders/{id}', Value: 'public order tracking page'}",
      ),
      resourceId: 'OrderMethod',
      compliance: 'NON_COMPLIANT',
      // `{` `}` are not tag-safe: the path form cannot be used for this method, the resource id form can.
      annotation: /has no authorization/,
    },
    {
      title: 'an exception tag on the API naming METHOD and logical id → COMPLIANT',
      template: api(
        '      HttpMethod: GET\n      AuthorizationType: NONE',
        "        - {Key: 'authn-exception/AUTHN-APIGW-REST/GET OrderMethod', Value: 'public order tracking page'}",
      ),
      resourceId: 'OrderMethod',
      compliance: 'COMPLIANT',
      annotation: /^Exception: public order tracking page \(no expiry\)$/,
    },
    {
      title: 'AuthorizationType from a parameter without Default → NON_COMPLIANT, cannot be verified',
      template: api('      HttpMethod: GET\n      AuthorizationType: !Ref NoDefault'),
      resourceId: 'OrderMethod',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'a REST API whose OpenAPI body is in S3 → NON_COMPLIANT, cannot be verified here',
      template: `
Resources:
  Imported:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: imported
      BodyS3Location: {Bucket: specs, Key: imported.yaml}
`,
      resourceId: 'Imported/openapi-methods',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
  ]);
});
