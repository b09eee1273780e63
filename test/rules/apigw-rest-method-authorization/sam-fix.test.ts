/**
 * Methods of SAM REST APIs (test/fixtures/sam) are fixed in what their author wrote: the function's event, the Api's
 * Auth (or Globals.Api for the implicit API), its CORS preflight setting, DefinitionBody.
 */
import { expect } from 'chai';
import { apigwRestMethodAuthorization as rule } from '../../../rules/apigw-rest-method-authorization/rule';
import { samFixture } from '../../helpers/templates';

describe('rules/apigw-rest-method-authorization/sam-fix: the fix of a SAM method is a SAM change', () => {
  it('an event opened with Authorizer NONE: remove it, at its Authorizer line; an API key is no fix', () => {
    // Prepare
    const sam = samFixture(rule, 'rest-api-authorizers.yaml');
    // Act
    const catalog = sam.result('ShopApi/GET /catalog');
    // Assess
    expect(catalog.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'Orders',
      line: sam.lineOf('Catalog:', 'Authorizer: NONE'),
    });
    expect(catalog.property).to.equal('Events.Catalog.Properties.Auth.Authorizer');
    expect(catalog.finding.remediation).to.equal(
      "Orders in rest-api-authorizers.yaml: remove Auth.Authorizer: NONE from function Orders event Catalog so the API's Auth.DefaultAuthorizer applies, or set it to a Cognito or Lambda (TOKEN or REQUEST) authorizer of the API's Auth.Authorizers, or AWS_IAM (Auth.ApiKeyRequired alone is not authentication)",
    );
  });

  it('the CORS preflight SAM adds: the rule parameter, or the AddDefaultAuthorizerToCorsPreflight written', () => {
    // Prepare
    const sam = samFixture(rule, 'rest-api-authorizers.yaml');
    // Act
    const preflight = sam.result('ShopApi/OPTIONS /orders');
    // Assess
    expect(preflight.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'ShopApi',
      line: sam.lineOf('ShopApi:', 'AddDefaultAuthorizerToCorsPreflight: false'),
    });
    expect(preflight.property).to.equal('Auth.AddDefaultAuthorizerToCorsPreflight');
    expect(preflight.finding.remediation).to.include("set the rule's ExemptCorsPreflightMethods parameter");
    expect(preflight.finding.remediation).to.include(
      'remove Auth.AddDefaultAuthorizerToCorsPreflight: false',
    );
  });

  it('an event of the implicit ServerlessRestApi: Globals.Api Auth.DefaultAuthorizer, at the event', () => {
    // Prepare
    const sam = samFixture(rule, 'implicit-rest-api.yaml');
    // Act
    const greet = sam.result('ServerlessRestApi/GET /hello');
    // Assess
    expect(greet.finding).to.deep.include({ logicalId: 'Hello', line: sam.lineOf('Greet:') });
    expect(greet.finding.remediation).to.include(
      'set Globals.Api.Auth.DefaultAuthorizer (it reaches the ServerlessRestApi SAM makes from Api events) to a Cognito or Lambda',
    );
    expect(greet.finding.remediation).to.not.match(/AWS::ApiGateway::|AuthorizationType/);
  });

  it('an event of an Api with Auth but no default: Auth.DefaultAuthorizer on that Api', () => {
    // Prepare
    const sam = samFixture(rule, 'rest-api-merge-definitions.yaml');
    // Act
    const create = sam.result('OrdersApi/POST /orders');
    // Assess
    expect(create.finding).to.deep.include({ logicalId: 'ListOrders', line: sam.lineOf('Create:') });
    expect(create.finding.remediation).to.include(
      'set Auth.DefaultAuthorizer on the AWS::Serverless::Api OrdersApi to a Cognito or Lambda (TOKEN or REQUEST) authorizer of its Auth.Authorizers',
    );
  });

  it('a method of DefinitionBody: its security requirement there, at its path', () => {
    // Prepare
    const sam = samFixture(rule, 'rest-api-definition-body.yaml');
    // Act
    const docs = sam.result('LedgerApi/GET /docs');
    // Assess
    expect(docs.finding).to.deep.include({ logicalId: 'LedgerApi', line: sam.lineOf('/docs:') + 1 });
    expect(docs.property).to.equal('DefinitionBody');
    expect(docs.finding.remediation).to.include('give GET /docs in DefinitionBody a security requirement');
  });
});
