import { expect } from 'chai';
import { appsyncNoApiKey as rule } from '../../../rules/appsync-no-api-key/rule';
import { UNVERIFIABLE, samFixture, templateTable } from '../../helpers/templates';

/** A GraphQL API `reviews` with the given authentication properties (and tags, as a list). */
function graphqlApi(properties: string, tags = ''): string {
  return `
Parameters:
  ApiKeyDefault: {Type: String, Default: API_KEY}
  IamDefault: {Type: String, Default: AWS_IAM}
  NoDefault: {Type: String}
Resources:
  Authorizer:
    Type: AWS::Lambda::Function
    Properties: {Runtime: nodejs20.x, Handler: index.handler, Role: arn:aws:iam::111122223333:role/a, Code: {ZipFile: x}}
  ReviewsApi:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: reviews
${properties}
${tags === '' ? '' : `      Tags:\n${tags}`}
`;
}

const tag = (key: string, value: string): string => `        - Key: ${key}\n          Value: '${value}'`;

describe('AppSync.5 template adapter', () => {
  describe('authentication modes', () => {
    templateTable(rule, [
      {
        title: 'AWS_IAM only → COMPLIANT',
        template: graphqlApi('      AuthenticationType: AWS_IAM'),
        resourceId: 'ReviewsApi',
        compliance: 'COMPLIANT',
        annotation: /^GraphQL API "reviews" authenticates callers with AWS_IAM\.$/,
        also: (finding) => {
          expect(finding.resourceType).to.equal('AWS::AppSync::GraphQLApi');
          expect(finding.resourceName).to.equal('reviews');
          expect(finding.logicalId).to.equal('ReviewsApi');
          expect(finding.remediation).to.equal(null);
        },
      },
      {
        title: 'API_KEY only → NON_COMPLIANT, add an authenticated mode first',
        template: graphqlApi('      AuthenticationType: API_KEY'),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /relies on API keys only\. Add an authenticated mode/,
        also: (finding) =>
          expect(finding.remediation).to.match(
            /^ReviewsApi in stack\.yaml: set AuthenticationType to AMAZON_COGNITO_USER_POOLS, AWS_IAM/,
          ),
      },
      {
        title:
          'AWS_IAM with an additional API_KEY provider → NON_COMPLIANT, the strong mode is already there',
        template: graphqlApi(
          '      AuthenticationType: AWS_IAM\n      AdditionalAuthenticationProviders:\n        - AuthenticationType: API_KEY',
        ),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /accepts API keys beside AWS_IAM\. The strong mode is already there/,
        also: (finding) =>
          expect(finding.remediation).to.match(
            /^ReviewsApi in stack\.yaml: remove API_KEY from AuthenticationType/,
          ),
      },
      {
        title:
          'an additional Lambda authorizer whose function is a !GetAtt → COMPLIANT (only the types are read)',
        template: graphqlApi(`      AuthenticationType: AMAZON_COGNITO_USER_POOLS
      UserPoolConfig: {UserPoolId: !Ref NoDefault, AwsRegion: !Ref 'AWS::Region', DefaultAction: ALLOW}
      AdditionalAuthenticationProviders:
        - AuthenticationType: AWS_LAMBDA
          LambdaAuthorizerConfig:
            AuthorizerUri: !GetAtt Authorizer.Arn`),
        resourceId: 'ReviewsApi',
        compliance: 'COMPLIANT',
        annotation: /authenticates callers with AMAZON_COGNITO_USER_POOLS, AWS_LAMBDA/,
      },
      {
        title: 'AuthenticationType from a parameter whose Default is API_KEY → NON_COMPLIANT',
        template: graphqlApi('      AuthenticationType: !Ref ApiKeyDefault'),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /relies on API keys only/,
      },
      {
        title: 'AuthenticationType from a parameter whose Default is AWS_IAM → COMPLIANT',
        template: graphqlApi('      AuthenticationType: !Ref IamDefault'),
        resourceId: 'ReviewsApi',
        compliance: 'COMPLIANT',
        annotation: /with AWS_IAM/,
      },
      {
        title:
          'AuthenticationType from a parameter without Default → NON_COMPLIANT, cannot be verified before deploy',
        template: graphqlApi('      AuthenticationType: !Ref NoDefault'),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^reviews cannot be verified before deploy: AuthenticationType is not known before deploy \(parameter NoDefault has no Default\)/,
        also: (finding) =>
          expect(finding.remediation).to.match(
            /^ReviewsApi in stack\.yaml: make AuthenticationType a literal/,
          ),
      },
      {
        title:
          'AdditionalAuthenticationProviders behind !If → NON_COMPLIANT, cannot be verified before deploy',
        template: graphqlApi(
          "      AuthenticationType: AWS_IAM\n      AdditionalAuthenticationProviders: !If [IsDev, [{AuthenticationType: API_KEY}], !Ref 'AWS::NoValue']",
        ),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: AdditionalAuthenticationProviders is not known before deploy \(Fn::If/,
      },
      {
        title:
          'an additional provider whose type is not known → NON_COMPLIANT, cannot be verified, naming which',
        template: graphqlApi(
          '      AuthenticationType: AWS_IAM\n      AdditionalAuthenticationProviders:\n        - AuthenticationType: AWS_IAM\n        - AuthenticationType: !Ref NoDefault',
        ),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: AdditionalAuthenticationProviders\[1\]\.AuthenticationType is not known before deploy/,
        also: (finding) =>
          expect(finding.remediation).to.match(
            /^ReviewsApi in stack\.yaml: make AdditionalAuthenticationProviders\[1\]\.AuthenticationType a literal/,
          ),
      },
      {
        title: 'no AuthenticationType → NON_COMPLIANT',
        template: graphqlApi('      XrayEnabled: true'),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /has no readable primary authentication type/,
      },
      {
        title: 'an additional provider without a type → NON_COMPLIANT',
        template: graphqlApi(
          '      AuthenticationType: AWS_IAM\n      AdditionalAuthenticationProviders:\n        - OpenIDConnectConfig: {Issuer: https://id.example.com}',
        ),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /additional authentication provider without a readable type/,
      },
      {
        title: 'a MERGED API is judged the same way',
        template: graphqlApi('      ApiType: MERGED\n      AuthenticationType: API_KEY'),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /relies on API keys only/,
      },
      {
        title: 'with AllowedAuthorizationTypes=AWS_IAM, OPENID_CONNECT → NON_COMPLIANT',
        template: graphqlApi('      AuthenticationType: OPENID_CONNECT'),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /uses OPENID_CONNECT, outside AllowedAuthorizationTypes \(AWS_IAM\)/,
        options: { parameters: { AllowedAuthorizationTypes: 'AWS_IAM' } },
      },
      {
        title: 'a Name not known before deploy → named by logical id',
        template: graphqlApi('      AuthenticationType: API_KEY').replace(
          'Name: reviews',
          'Name: !Sub "${AWS::StackName}-reviews"',
        ),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /^GraphQL API "ReviewsApi" relies on API keys only/,
        also: (finding) => expect(finding.resourceName).to.equal('ReviewsApi'),
      },
    ]);
  });

  describe('exceptions in Tags (list shape)', () => {
    templateTable(rule, [
      {
        title: 'a valid exception → COMPLIANT, with the exception',
        template: graphqlApi(
          '      AuthenticationType: API_KEY',
          `${tag('authn-exception/AppSync.5', 'public read-only catalogue, rate limited')}\n${tag('authn-exception-expires/AppSync.5', '2099-01-31')}`,
        ),
        resourceId: 'ReviewsApi',
        compliance: 'COMPLIANT',
        annotation: /^Exception: public read-only catalogue, rate limited \(expires 2099-01-31\)$/,
        also: (finding) =>
          expect(finding.exception).to.deep.equal({
            justification: 'public read-only catalogue, rate limited',
            expires: '2099-01-31',
            tagKey: 'authn-exception/AppSync.5',
            wide: false,
          }),
      },
      {
        title: 'an exception with a too short justification → NON_COMPLIANT',
        template: graphqlApi('      AuthenticationType: API_KEY', tag('authn-exception/AppSync.5', 'legacy')),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Exception tag authn-exception\/AppSync\.5 not honoured: the justification must be at least 10 characters/,
      },
      {
        title: 'an exception for another control changes nothing',
        template: graphqlApi(
          '      AuthenticationType: API_KEY',
          tag('authn-exception/MSK.6', 'legacy producers until the Q2 cut-over'),
        ),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: /relies on API keys only/,
      },
      {
        title: 'an exception covers an API that cannot be verified before deploy',
        template: graphqlApi(
          '      AuthenticationType: !Ref NoDefault',
          tag('authn-exception/AppSync.5', 'mode chosen per stage by the platform team'),
        ),
        resourceId: 'ReviewsApi',
        compliance: 'COMPLIANT',
        annotation: /^Exception: mode chosen per stage/,
      },
      {
        title: 'without an exception, that API stays NON_COMPLIANT',
        template: graphqlApi('      AuthenticationType: !Ref NoDefault'),
        resourceId: 'ReviewsApi',
        compliance: 'NON_COMPLIANT',
        annotation: UNVERIFIABLE,
      },
    ]);
  });
});

describe('AUTHN-APPSYNC-APIKEY template adapter on SAM (test/fixtures/sam)', () => {
  it('an AWS::Serverless::GraphQLApi on API_KEY is fixed in Auth.Type, at its line', () => {
    // Prepare
    const sam = samFixture(rule, 'graphql-api-key-only.yaml');
    // Act
    const reviews = sam.result('ReviewsApi');
    // Assess
    expect(reviews.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      logicalId: 'ReviewsApi',
      line: sam.lineOf('ReviewsApi:', 'Type: API_KEY'),
    });
    expect(reviews.property).to.equal('Auth.Type');
    expect(reviews.finding.remediation).to.equal(
      'ReviewsApi in graphql-api-key-only.yaml: set Auth.Type to AMAZON_COGNITO_USER_POOLS, AWS_IAM, OPENID_CONNECT or AWS_LAMBDA (add it under Auth.Additional first while clients move)',
    );
  });

  it('API_KEY among Auth.Additional is removed there', () => {
    // Prepare: PartnersApi's additional provider made an API key
    const sam = samFixture(rule, 'graphql-api-key-only.yaml', (text) =>
      text.replace('- Type: AMAZON_COGNITO_USER_POOLS', '- Type: API_KEY'),
    );
    // Act
    const partners = sam.result('PartnersApi');
    // Assess
    expect(partners.finding).to.deep.include({
      compliance: 'NON_COMPLIANT',
      line: sam.lineOf('PartnersApi:', 'Additional:'),
    });
    expect(partners.property).to.equal('Auth.Additional');
    expect(partners.finding.remediation).to.include(
      'remove API_KEY from Auth.Type and every Type of Auth.Additional',
    );
  });
});
