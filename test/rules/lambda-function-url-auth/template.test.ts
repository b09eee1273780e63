import { expect } from 'chai';
import { lambdaFunctionUrlAuth as rule } from '../../../rules/lambda-function-url-auth/rule';
import { UNVERIFIABLE, samFixture, templateTable } from '../../helpers/templates';

/** A function `stripe-webhook` with an alias `live`, and the URL resource given. */
function stack(url: string, functionTags = ''): string {
  return `
Parameters:
  Auth: {Type: String, Default: AWS_IAM}
  NoDefault: {Type: String}
Resources:
  WebhookRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
  Webhook:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: stripe-webhook
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt WebhookRole.Arn
      Code: {ZipFile: 'exports.handler = async () => ({ statusCode: 200 });'}
      Tags:
        - {Key: team, Value: payments}
${functionTags}
  WebhookVersion:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Webhook}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Webhook, FunctionVersion: !GetAtt WebhookVersion.Version, Name: live}
  WebhookUrl:
    Type: AWS::Lambda::Url
    Properties:
${url}
`;
}

const WEBHOOK_EXCEPTION = `        - {Key: authn-exception/AUTHN-LAMBDA-URL/live, Value: 'Stripe webhook: handler verifies the Stripe-Signature HMAC'}`;

describe('AUTHN-LAMBDA-URL template adapter', () => {
  templateTable(rule, [
    {
      title: 'AuthType AWS_IAM on the function → COMPLIANT',
      template: stack('      TargetFunctionArn: !GetAtt Webhook.Arn\n      AuthType: AWS_IAM'),
      resourceId: 'WebhookUrl',
      compliance: 'COMPLIANT',
      annotation: /^Function URL of "stripe-webhook" requires IAM/,
      also: (finding) => {
        expect(finding.resourceType).to.equal('AWS::Lambda::Url');
        expect(finding.resourceName).to.equal('stripe-webhook URL');
        expect(finding.internetFacing).to.equal(true);
      },
    },
    {
      title: 'AuthType NONE → NON_COMPLIANT with the template fix',
      template: stack('      TargetFunctionArn: !Ref Webhook\n      AuthType: NONE'),
      resourceId: 'WebhookUrl',
      compliance: 'NON_COMPLIANT',
      annotation: /^Function URL of "stripe-webhook" has AuthType NONE/,
      also: (finding) =>
        expect(finding.remediation).to.match(/WebhookUrl in stack\.yaml: set AuthType: AWS_IAM/),
    },
    {
      title:
        'a URL on the alias through Qualifier, documented as a webhook exception on the function → COMPLIANT',
      template: stack(
        '      TargetFunctionArn: !Ref Webhook\n      Qualifier: live\n      AuthType: NONE',
        WEBHOOK_EXCEPTION,
      ),
      resourceId: 'WebhookUrl',
      compliance: 'COMPLIANT',
      annotation: /^Exception: Stripe webhook: handler verifies the Stripe-Signature HMAC \(no expiry\)$/,
      also: (finding) => expect(finding.resourceName).to.equal('stripe-webhook:live URL'),
    },
    {
      title: 'a URL whose TargetFunctionArn is the alias takes the alias as its qualifier',
      template: stack('      TargetFunctionArn: !Ref Live\n      AuthType: NONE', WEBHOOK_EXCEPTION),
      resourceId: 'WebhookUrl',
      compliance: 'COMPLIANT',
      annotation: /^Exception: Stripe webhook/,
    },
    {
      title: "the alias exception does not cover the function's own URL",
      template: stack(
        '      TargetFunctionArn: !GetAtt Webhook.Arn\n      AuthType: NONE',
        WEBHOOK_EXCEPTION,
      ),
      resourceId: 'WebhookUrl',
      compliance: 'NON_COMPLIANT',
      annotation: /has AuthType NONE/,
    },
    {
      title: 'a literal function ARN with an alias is read as such',
      template: stack(
        "      TargetFunctionArn: 'arn:aws:lambda:eu-west-1:444455556666:function:orders-export:prod'\n      AuthType: NONE",
      ),
      resourceId: 'WebhookUrl',
      compliance: 'NON_COMPLIANT',
      annotation: /^Function URL of "orders-export" alias "prod" has AuthType NONE/,
    },
    {
      title: 'AuthType through a parameter Default → COMPLIANT',
      template: stack('      TargetFunctionArn: !Ref Webhook\n      AuthType: !Ref Auth'),
      resourceId: 'WebhookUrl',
      compliance: 'COMPLIANT',
      annotation: /requires IAM/,
    },
    {
      title: 'AuthType from a parameter without Default → NON_COMPLIANT, cannot be verified',
      template: stack('      TargetFunctionArn: !Ref Webhook\n      AuthType: !Ref NoDefault'),
      resourceId: 'WebhookUrl',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
  ]);
});

describe('AUTHN-LAMBDA-URL template adapter on SAM (test/fixtures/sam)', () => {
  it("FunctionUrlConfig AuthType NONE is fixed on the function's FunctionUrlConfig, at its line", () => {
    // Prepare
    const sam = samFixture(rule, 'function-url.yaml');
    // Act
    const open = sam.result('PublicUrl');
    // Assess
    expect(open.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'Public',
      line: sam.lineOf('Public:', 'AuthType: NONE'),
    });
    expect(open.property).to.equal('FunctionUrlConfig.AuthType');
    // The transform adds (and drops) the public permission itself: no AWS::Lambda::Permission for the author to remove.
    expect(open.finding.remediation).to.equal(
      'Public in function-url.yaml: set FunctionUrlConfig.AuthType: AWS_IAM; callers sign with SigV4 (CloudFront OAC for browsers), and the transform then adds no public invoke permission',
    );
  });

  it('AuthType NONE from Globals is fixed in Globals.Function, at its line', () => {
    // Prepare: the Globals AuthType made NONE, which Internal (no FunctionUrlConfig of its own) takes
    const sam = samFixture(rule, 'function-url.yaml', (text) =>
      text.replace(
        '    FunctionUrlConfig:\n      AuthType: AWS_IAM',
        '    FunctionUrlConfig:\n      AuthType: NONE',
      ),
    );
    // Act
    const internal = sam.result('InternalUrl');
    // Assess
    expect(internal.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'Internal',
      line: sam.lineOf('Globals:', 'AuthType: NONE'),
    });
    expect(internal.property).to.equal('Globals.Function.FunctionUrlConfig.AuthType');
    expect(internal.finding.remediation).to.include(
      'set Globals.Function.FunctionUrlConfig.AuthType: AWS_IAM (it reaches every AWS::Serverless::Function without its own, or set FunctionUrlConfig.AuthType on Internal)',
    );
  });
});
