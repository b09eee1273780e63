/**
 * Routes of SAM templates (test/fixtures/sam) are fixed in what their author wrote: the function's event, the
 * HttpApi's Auth (or Globals.HttpApi for the implicit API), DefinitionBody, the WebSocketApi's Auth.AuthType.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apigwv2RouteAuthorization as rule } from '../../../rules/apigwv2-route-authorization/rule';
import { checkSnippet, samFixture } from '../../helpers/templates';

describe('rules/apigwv2-route-authorization/sam-fix: the fix of a SAM route is a SAM change', () => {
  it('an open event of the implicit API: Globals.HttpApi Auth.DefaultAuthorizer, at the event', () => {
    // Prepare
    const sam = samFixture(rule, 'implicit-http-api-open.yaml');
    // Act
    const greet = sam.result('ServerlessHttpApi/GET /hello');
    const catchAll = sam.result('ServerlessHttpApi/$default');
    // Assess
    expect(greet.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'Hello',
      line: sam.lineOf('Greet:'),
    });
    expect(greet.property).to.equal('Events.Greet.Properties.Auth.Authorizer');
    expect(greet.finding.remediation).to.equal(
      "Hello in implicit-http-api-open.yaml: set Globals.HttpApi.Auth.DefaultAuthorizer (it reaches the ServerlessHttpApi SAM makes from HttpApi events) to a JWT or Lambda authorizer of its Auth.Authorizers, or AWS_IAM with Auth.EnableIamAuthorizer: true, or the event's Auth.Authorizer for this route alone",
    );
    // The $default route of an event without Path is no quick-create API: no managed override to add.
    expect(catchAll.finding).to.deep.include({ logicalId: 'Hello', line: sam.lineOf('CatchAll:') });
    expect(catchAll.finding.remediation).to.include('Globals.HttpApi.Auth.DefaultAuthorizer');
    expect(catchAll.finding.remediation).to.not.match(/ApiGatewayManagedOverrides|AWS::ApiGatewayV2/);
  });

  it('an event opened with Authorizer NONE: remove it, at its Authorizer line', () => {
    // Prepare
    const sam = samFixture(rule, 'http-api-default-authorizer.yaml');
    // Act
    const health = sam.result('OrdersApi/GET /health');
    // Assess
    expect(health.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'ListOrders',
      line: sam.lineOf('Health:', 'Authorizer: NONE'),
    });
    expect(health.property).to.equal('Events.Health.Properties.Auth.Authorizer');
    expect(health.finding.remediation).to.match(
      /^ListOrders in http-api-default-authorizer\.yaml: remove Auth\.Authorizer: NONE from function ListOrders event Health so the API's Auth\.DefaultAuthorizer applies/,
    );
  });

  it('a route of DefinitionBody: its security requirement there, at its path', () => {
    // Prepare
    const sam = samFixture(rule, 'http-api-definition-body.yaml');
    // Act
    const docs = sam.result('PartnerApi/GET /docs');
    // Assess
    expect(docs.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'PartnerApi',
      line: sam.lineOf('/docs:') + 1,
    });
    expect(docs.property).to.equal('DefinitionBody');
    expect(docs.finding.remediation).to.include(
      'give GET /docs in DefinitionBody a security requirement naming a JWT or Lambda authorizer',
    );
    expect(docs.finding.remediation).to.include(
      'Auth.DefaultAuthorizer reaches only methods with an x-amazon-apigateway-integration',
    );
  });

  it('a WebSocketApi without Auth: Auth.AuthType on the SAM resource, which SAM puts on $connect', () => {
    // Prepare
    const sam = samFixture(rule, 'websocket-api-connect.yaml');
    // Act
    const open = sam.result('OpenChatConnectRoute');
    const secure = sam.result('SecureChatConnectRoute');
    // Assess
    expect(open.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'OpenChat',
      line: sam.lineOf('OpenChat:'),
    });
    expect(open.property).to.equal('Auth.AuthType');
    expect(open.finding.remediation).to.equal(
      'OpenChat in websocket-api-connect.yaml: set Auth.AuthType on the AWS::Serverless::WebSocketApi OpenChat to AWS_IAM, or CUSTOM with Auth.AuthArn (a Lambda authorizer); SAM puts it on the $connect route',
    );
    // The passing one points at the AuthType its author wrote.
    expect(secure.finding).to.deep.include({
      compliance: 'COMPLIANT',
      logicalId: 'SecureChat',
      line: sam.lineOf('SecureChat:', 'AuthType: AWS_IAM'),
    });
  });

  it('a WebSocketApi without $connect: add it to Routes, with Auth.AuthType', () => {
    // Prepare: OpenChat's $connect route taken out (the transform then refuses Auth, so none is written).
    const sam = samFixture(rule, 'websocket-api-connect.yaml', (text) =>
      text.replace(
        / {8}\$connect:\n {10}FunctionArn: !GetAtt Chat\.Arn\n {8}\$default:/,
        '        $default:',
      ),
    );
    // Act
    const route = sam.result('OpenChatDefaultRoute');
    // Assess
    expect(route.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'OpenChat',
      line: sam.lineOf('OpenChat:', 'Routes:'),
    });
    expect(route.property).to.equal('Routes');
    expect(route.finding.remediation).to.include(
      'add a $connect entry to Routes of the AWS::Serverless::WebSocketApi OpenChat and set its Auth.AuthType',
    );
  });

  it('the same route in the transformed CloudFormation keeps the CloudFormation fix', () => {
    // Prepare
    const transformed = readFileSync(
      join(__dirname, '..', '..', 'fixtures', 'sam', 'transformed', 'websocket-api-connect.json'),
      'utf8',
    );
    // Act
    const { findings } = checkSnippet(rule, transformed);
    // Assess
    expect(findings.find((finding) => finding.resourceId === 'OpenChatConnectRoute')?.remediation).to.equal(
      'OpenChatConnectRoute in stack.yaml: set AuthorizationType AWS_IAM or CUSTOM (with AuthorizerId) on the $connect route',
    );
  });
});
