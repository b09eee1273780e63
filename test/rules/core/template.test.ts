import { expect } from 'chai';
import {
  TemplateError,
  TemplateView,
  parseTemplate,
  type TemplateResource,
} from '../../../rules/core/template';

/** The properties of resource R in a YAML template whose Properties are the given lines. */
function propertiesOf(lines: string): Readonly<Record<string, unknown>> {
  const text = `Resources:\n  R:\n    Type: AWS::Test::Thing\n    Properties:\n${lines
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')}\n`;
  const [resource] = parseTemplate(text).resources;
  return (resource as TemplateResource).properties;
}

const view = (text: string): TemplateView => new TemplateView(parseTemplate(text));

const WITH_PARAMETERS = `
Parameters:
  AuthType:
    Type: String
    Default: JWT
  NoDefault:
    Type: String
  Port:
    Type: Number
    Default: 6379
  Groups:
    Type: CommaDelimitedList
    Default: 'ug-a, ug-b'
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: ''
  FromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /platform/auth-type
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
`;

describe('rules/core/template', () => {
  describe('parseTemplate: short-form intrinsics become their long form', () => {
    const rows: readonly { readonly yaml: string; readonly long: unknown }[] = [
      { yaml: 'V: !Ref OrdersApi', long: { Ref: 'OrdersApi' } },
      { yaml: "V: !Ref 'AWS::Region'", long: { Ref: 'AWS::Region' } },
      { yaml: 'V: !GetAtt OrdersApi.ApiEndpoint', long: { 'Fn::GetAtt': ['OrdersApi', 'ApiEndpoint'] } },
      {
        yaml: 'V: !GetAtt Cache.PrimaryEndPoint.Address',
        long: { 'Fn::GetAtt': ['Cache', 'PrimaryEndPoint.Address'] },
      },
      { yaml: 'V: !GetAtt [OrdersApi, ApiId]', long: { 'Fn::GetAtt': ['OrdersApi', 'ApiId'] } },
      { yaml: "V: !Sub 'arn:${AWS::Partition}:s3:::b'", long: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b' } },
      {
        yaml: "V: !Sub ['${Name}-api', {Name: !Ref Stage}]",
        long: { 'Fn::Sub': ['${Name}-api', { Name: { Ref: 'Stage' } }] },
      },
      {
        yaml: "V: !If [IsProd, AWS_IAM, !Ref 'AWS::NoValue']",
        long: { 'Fn::If': ['IsProd', 'AWS_IAM', { Ref: 'AWS::NoValue' }] },
      },
      { yaml: "V: !Join ['', [a, !Ref B]]", long: { 'Fn::Join': ['', ['a', { Ref: 'B' }]] } },
      { yaml: "V: !Select [0, !GetAZs '']", long: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
      {
        yaml: 'V: !FindInMap [Regions, !Ref AWS::Region, Ami]',
        long: { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Ami'] },
      },
      { yaml: 'V: !ImportValue shared-api-id', long: { 'Fn::ImportValue': 'shared-api-id' } },
      { yaml: "V: !Base64 {'Fn::Sub': 'x'}", long: { 'Fn::Base64': { 'Fn::Sub': 'x' } } },
      { yaml: 'V: !Equals [!Ref Env, prod]', long: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      { yaml: 'V: !Condition IsProd', long: { Condition: 'IsProd' } },
      { yaml: 'V: !Not [!Condition IsProd]', long: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
      {
        yaml: 'V: !And [!Condition A, !Condition B]',
        long: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] },
      },
      {
        yaml: 'V: !Or [!Condition A, !Condition B]',
        long: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] },
      },
      { yaml: "V: !Split [',', 'a,b']", long: { 'Fn::Split': [',', 'a,b'] } },
      { yaml: 'V: !Cidr [10.0.0.0/16, 6, 5]', long: { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] } },
      { yaml: 'V: !GetAZs', long: { 'Fn::GetAZs': '' } },
      {
        yaml: 'V: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}',
        long: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } },
      },
      { yaml: 'V: !ToJsonString {a: 1}', long: { 'Fn::ToJsonString': { a: 1 } } },
      { yaml: 'V: !Length [1, 2]', long: { 'Fn::Length': [1, 2] } },
    ];
    for (const row of rows) {
      it(`${row.yaml.slice(3)} → ${JSON.stringify(row.long)}`, () => {
        // Act
        const properties = propertiesOf(row.yaml);
        // Assess
        expect(properties.V).to.deep.equal(row.long);
      });
    }

    it('refuses two short forms on one node, as CloudFormation does', () => {
      // Prepare
      const text = "Resources:\n  R:\n    Type: T\n    Properties:\n      V: !Base64 !Sub 'x'\n";
      // Act
      const parse = () => parseTemplate(text, 'stack.yaml');
      // Assess
      expect(parse).to.throw(TemplateError, /^stack\.yaml:5:\d+: not a readable template: .*at most one tag/);
    });
  });

  describe('parseTemplate: documents and lines', () => {
    it('reads a JSON template with long-form intrinsics', () => {
      // Prepare
      const text = JSON.stringify({
        Resources: {
          Route: {
            Type: 'AWS::ApiGatewayV2::Route',
            Properties: {
              ApiId: { Ref: 'Api' },
              RouteKey: 'GET /orders',
              AuthorizationType: { 'Fn::If': ['C', 'JWT', 'NONE'] },
            },
          },
        },
      });
      // Act
      const parsed = parseTemplate(text);
      // Assess
      expect(parsed.resources).to.deep.equal([
        {
          logicalId: 'Route',
          type: 'AWS::ApiGatewayV2::Route',
          properties: {
            ApiId: { Ref: 'Api' },
            RouteKey: 'GET /orders',
            AuthorizationType: { 'Fn::If': ['C', 'JWT', 'NONE'] },
          },
          line: 1,
        },
      ]);
    });

    it('gives each YAML resource the 1-based line of its logical id', () => {
      // Prepare
      const text = [
        "AWSTemplateFormatVersion: '2010-09-09'",
        'Parameters:',
        '  Stage: {Type: String, Default: prod}',
        'Resources:',
        '  # the API',
        '  Api:',
        '    Type: AWS::ApiGatewayV2::Api',
        '    Properties: {Name: orders, ProtocolType: HTTP}',
        '',
        '  Route:',
        '    Type: AWS::ApiGatewayV2::Route',
        '    Properties:',
        '      ApiId: !Ref Api',
        '      RouteKey: GET /orders',
      ].join('\n');
      // Act
      const parsed = parseTemplate(text);
      // Assess
      expect(parsed.resources.map((r) => [r.logicalId, r.line])).to.deep.equal([
        ['Api', 6],
        ['Route', 10],
      ]);
    });

    it('gives each JSON resource the line of its logical id, as cdk.out writes them', () => {
      // Prepare
      const text = JSON.stringify(
        {
          Resources: {
            Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'orders' } },
            Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' } } },
          },
        },
        null,
        1,
      );
      const lineOf = (id: string) => text.split('\n').findIndex((line) => line.includes(`"${id}": {`)) + 1;
      // Act
      const parsed = parseTemplate(text);
      // Assess
      expect(parsed.resources.map((r) => r.line)).to.deep.equal([lineOf('Api'), lineOf('Route')]);
      expect(lineOf('Api')).to.equal(3);
    });

    it('keeps a resource without Properties, with empty properties', () => {
      // Act
      const parsed = parseTemplate('Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n');
      // Assess
      expect(parsed.resources).to.deep.equal([
        { logicalId: 'Topic', type: 'AWS::SNS::Topic', properties: {}, line: 2 },
      ]);
    });

    it('keeps an unquoted date a string (YAML 1.2), as expiry tags need', () => {
      // Act
      const properties = propertiesOf('Tags:\n  authn-exception-expires/MSK.6: 2099-12-31');
      // Assess
      expect(properties.Tags).to.deep.equal({ 'authn-exception-expires/MSK.6': '2099-12-31' });
    });
  });

  describe('parseTemplate: what is not a template', () => {
    const rows: readonly { readonly title: string; readonly text: string; readonly error: RegExp }[] = [
      {
        title: 'a YAML syntax error',
        text: 'Resources:\n  R: [unclosed\n',
        error: /^t\.yaml:2:\d+: not a readable template: /,
      },
      {
        title: 'a JSON syntax error',
        text: '{"Resources": {',
        error: /^t\.yaml:1:\d+: not a readable template: /,
      },
      {
        title: 'a scalar document',
        text: 'just words',
        error: /^t\.yaml: not a CloudFormation template \(no top-level mapping\)$/,
      },
      { title: 'a list document', text: '- a\n- b\n', error: /no top-level mapping/ },
      { title: 'an empty file', text: '', error: /no top-level mapping/ },
      {
        title: 'a mapping without Resources (package.json)',
        text: '{"name": "app", "version": "1.0.0"}',
        error: /^t\.yaml: not a CloudFormation template \(no Resources section\)$/,
      },
      { title: 'Resources that is a list', text: 'Resources:\n  - a\n', error: /no Resources section/ },
    ];
    for (const row of rows) {
      it(`${row.title} → TemplateError`, () => {
        // Act
        const parse = () => parseTemplate(row.text, 't.yaml');
        // Assess
        expect(parse).to.throw(TemplateError, row.error);
      });
    }
  });

  describe('TemplateView.resolve', () => {
    const template = view(WITH_PARAMETERS);

    it('keeps literals as they are', () => {
      // Act and Assess
      expect(template.resolve('JWT')).to.deep.equal({ known: true, value: 'JWT' });
      expect(template.resolve(6379)).to.deep.equal({ known: true, value: 6379 });
      expect(template.resolve(false)).to.deep.equal({ known: true, value: false });
    });

    it('resolves a Ref to a parameter through its Default', () => {
      // Act and Assess
      expect(template.resolve({ Ref: 'AuthType' })).to.deep.equal({ known: true, value: 'JWT' });
      expect(template.resolve({ Ref: 'Port' })).to.deep.equal({ known: true, value: 6379 });
    });

    it('splits the Default of list parameters into a list', () => {
      // Act and Assess
      expect(template.resolve({ Ref: 'Groups' })).to.deep.equal({ known: true, value: ['ug-a', 'ug-b'] });
      expect(template.resolve({ Ref: 'Subnets' })).to.deep.equal({ known: true, value: [] });
    });

    const unknown: readonly { readonly title: string; readonly value: unknown; readonly reason: string }[] = [
      {
        title: 'a parameter without Default',
        value: { Ref: 'NoDefault' },
        reason: 'parameter NoDefault has no Default',
      },
      {
        title: 'an SSM parameter (its Default is a parameter name, not the value)',
        value: { Ref: 'FromSsm' },
        reason: 'parameter FromSsm is read from SSM Parameter Store at deploy',
      },
      { title: 'a resource', value: { Ref: 'Api' }, reason: 'Ref to resource Api' },
      {
        title: 'the pseudo parameter AWS::Region',
        value: { Ref: 'AWS::Region' },
        reason: 'pseudo parameter AWS::Region is set only at deploy',
      },
      {
        title: 'a name the template does not define',
        value: { Ref: 'Nowhere' },
        reason: 'Ref to Nowhere, which this template does not define',
      },
      { title: 'a Ref that names nothing', value: { Ref: ['a'] }, reason: 'a Ref with no name' },
      {
        title: 'Fn::If',
        value: { 'Fn::If': ['IsProd', 'AWS_IAM', 'NONE'] },
        reason: 'Fn::If is evaluated only at deploy',
      },
      {
        title: 'Fn::GetAtt',
        value: { 'Fn::GetAtt': ['Api', 'ApiId'] },
        reason: 'Fn::GetAtt is evaluated only at deploy',
      },
      {
        title: 'Fn::Sub',
        value: { 'Fn::Sub': '${AuthType}' },
        reason: 'Fn::Sub is evaluated only at deploy',
      },
      {
        title: 'Fn::ImportValue',
        value: { 'Fn::ImportValue': 'x' },
        reason: 'Fn::ImportValue is evaluated only at deploy',
      },
      { title: 'Condition', value: { Condition: 'IsProd' }, reason: 'Condition is evaluated only at deploy' },
    ];
    for (const row of unknown) {
      it(`a Ref or function: ${row.title} → unknown, with the reason`, () => {
        // Act and Assess
        expect(template.resolve(row.value)).to.deep.equal({ known: false, reason: row.reason });
      });
    }

    it('resolves nested lists and mappings when every intrinsic inside is known', () => {
      // Prepare
      const value = {
        Sasl: { Iam: { Enabled: true } },
        Types: [{ Ref: 'AuthType' }, 'AWS_IAM'],
        Port: { Ref: 'Port' },
      };
      // Act and Assess
      expect(template.resolve(value)).to.deep.equal({
        known: true,
        value: { Sasl: { Iam: { Enabled: true } }, Types: ['JWT', 'AWS_IAM'], Port: 6379 },
      });
    });

    it('is unknown when anything nested is, with the innermost reason', () => {
      // Prepare
      const value = { Providers: [{ Type: 'AWS_LAMBDA', Config: { Uri: { 'Fn::GetAtt': ['Fn', 'Arn'] } } }] };
      // Act and Assess
      expect(template.resolve(value)).to.deep.equal({
        known: false,
        reason: 'Fn::GetAtt is evaluated only at deploy',
      });
    });

    it('treats a mapping with several keys as data, not as an intrinsic', () => {
      // Act and Assess
      expect(template.resolve({ Ref: 'AuthType', Other: 1 })).to.deep.equal({
        known: true,
        value: { Ref: 'AuthType', Other: 1 },
      });
    });
  });

  describe('TemplateView.text', () => {
    const template = view(WITH_PARAMETERS);

    it('gives absent as known and undefined', () => {
      // Act and Assess
      expect(template.text(undefined, 'AuthorizationType')).to.deep.equal({ known: true, value: undefined });
    });

    it('turns numbers and booleans into strings', () => {
      // Act and Assess
      expect(template.text({ Ref: 'Port' }, 'Port')).to.deep.equal({ known: true, value: '6379' });
      expect(template.text(true, 'Enabled')).to.deep.equal({ known: true, value: 'true' });
    });

    it('names the property in the reason when unknown', () => {
      // Act and Assess
      expect(template.text({ Ref: 'NoDefault' }, 'AuthorizationType')).to.deep.equal({
        known: false,
        property: 'AuthorizationType',
        reason: 'AuthorizationType is not known before deploy (parameter NoDefault has no Default)',
      });
    });

    it('refuses a list or mapping where a string is needed', () => {
      // Act and Assess
      expect(template.text(['a'], 'RouteKey')).to.deep.equal({
        known: false,
        property: 'RouteKey',
        reason: 'RouteKey is not a string',
      });
    });
  });

  describe('TemplateView.locate and textAt', () => {
    const template = view(WITH_PARAMETERS);

    it('reads a field whose siblings are unknown', () => {
      // Prepare
      const provider = {
        AuthenticationType: 'AWS_LAMBDA',
        LambdaAuthorizerConfig: { AuthorizerUri: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
      };
      // Act and Assess
      expect(template.locate(provider, 'AuthenticationType')).to.deep.equal({
        known: true,
        value: 'AWS_LAMBDA',
      });
      expect(template.textAt(provider, ['AuthenticationType'], 'Type')).to.deep.equal({
        known: true,
        value: 'AWS_LAMBDA',
      });
    });

    it('resolves the intrinsics on the path and the field itself', () => {
      // Act and Assess
      expect(
        template.locate({ Settings: { AuthType: { Ref: 'AuthType' } } }, 'Settings', 'AuthType'),
      ).to.deep.equal({
        known: true,
        value: 'JWT',
      });
    });

    it('is unknown when a step on the path is, with the reason', () => {
      // Act and Assess
      expect(
        template.textAt(
          { 'Fn::If': ['C', { AuthType: 'no' }, { AuthType: 'password' }] },
          ['AuthType'],
          'MongoDbSettings.AuthType',
        ),
      ).to.deep.equal({
        known: false,
        property: 'MongoDbSettings.AuthType',
        reason: 'MongoDbSettings.AuthType is not known before deploy (Fn::If is evaluated only at deploy)',
      });
    });

    it('gives a missing step as known and undefined', () => {
      // Act and Assess
      expect(template.locate(undefined, 'Sasl', 'Iam', 'Enabled')).to.deep.equal({
        known: true,
        value: undefined,
      });
      expect(template.locate({ Sasl: 'odd' }, 'Sasl', 'Iam')).to.deep.equal({
        known: true,
        value: undefined,
      });
    });

    it('returns a list as written, its intrinsics unresolved', () => {
      // Act and Assess
      expect(
        template.locate(
          { Tls: { CertificateAuthorityArnList: [{ Ref: 'Ca' }] } },
          'Tls',
          'CertificateAuthorityArnList',
        ),
      ).to.deep.equal({
        known: true,
        value: [{ Ref: 'Ca' }],
      });
    });
  });

  describe('TemplateView.tags', () => {
    const template = view(WITH_PARAMETERS);

    it('reads the list shape [{Key, Value}]', () => {
      // Act
      const tags = template.tags([
        { Key: 'authn-exception/MSK.6', Value: 'legacy producers until the Q2 cut-over' },
        { Key: 'team', Value: 'streaming' },
      ]);
      // Assess
      expect(tags).to.deep.equal({
        'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over',
        team: 'streaming',
      });
    });

    it('reads the map shape (API Gateway v2, MSK)', () => {
      // Act
      const tags = template.tags({
        'authn-exception/APIGateway.8/GET /health': 'load balancer health probe',
        team: 'web',
      });
      // Assess
      expect(tags).to.deep.equal({
        'authn-exception/APIGateway.8/GET /health': 'load balancer health probe',
        team: 'web',
      });
    });

    it('resolves keys and values through parameter defaults and leaves unknown ones out', () => {
      // Act
      const tags = template.tags([
        { Key: 'auth', Value: { Ref: 'AuthType' } },
        { Key: 'port', Value: { Ref: 'Port' } },
        { Key: 'stage', Value: { Ref: 'NoDefault' } },
        { Key: { Ref: 'NoDefault' }, Value: 'x' },
      ]);
      // Assess
      expect(tags).to.deep.equal({ auth: 'JWT', port: '6379' });
    });

    it('gives no tags for absent Tags or Tags that are an intrinsic', () => {
      // Act and Assess
      expect(template.tags(undefined)).to.deep.equal({});
      expect(template.tags({ 'Fn::If': ['C', { a: 'b' }, {}] })).to.deep.equal({});
    });
  });

  describe('TemplateView: resources', () => {
    const template = view(`
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
`);

    it('finds the resource a Ref or GetAtt points at, in this template only', () => {
      // Act and Assess
      expect(template.resourceOf({ Ref: 'Api' })?.logicalId).to.equal('Api');
      expect(template.resourceOf({ 'Fn::GetAtt': ['Api', 'ApiId'] })?.logicalId).to.equal('Api');
      expect(template.resourceOf({ 'Fn::ImportValue': 'shared-api' })).to.equal(undefined);
      expect(template.resourceOf({ Ref: 'Elsewhere' })).to.equal(undefined);
      expect(template.resourceOf('a1b2c3d4e5')).to.equal(undefined);
    });

    it('looks resources up by logical id', () => {
      // Act and Assess
      expect(template.resource('Route')?.type).to.equal('AWS::ApiGatewayV2::Route');
      expect(template.resources.map((r) => r.logicalId)).to.deep.equal(['Api', 'Route']);
    });
  });
});
