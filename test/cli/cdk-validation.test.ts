/** The CDK validation plugin: the check-template gate at synth time, through aws-cdk-lib's own validation report. */
import { App, CfnCondition, CfnParameter, Fn, NestedStack, Stack, Tags, Validations } from 'aws-cdk-lib';
import { CfnApi, CfnApiGatewayManagedOverrides, CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { CfnCluster } from 'aws-cdk-lib/aws-msk';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { AuthnPackValidation, type AuthnPackValidationOptions } from '../../cli/cdk-validation';
import { ParameterError } from '../../rules/core/errors';
import { RULES } from '../../rules/index';

/** How aws-cdk-lib decides to report: throw with the report (tests), or print it and set the exit code (`cdk synth`). */
type AppMode = 'inmemory' | 'process';

interface ValidationReportJson {
  pluginReports: {
    pluginName: string;
    pluginVersion?: string;
    conclusion: 'success' | 'failure';
    metadata?: Record<string, string>;
    violations: {
      ruleName: string;
      description: string;
      suggestedFix?: string;
      severity: string;
      ruleMetadata?: Record<string, string>;
      violatingConstructs: {
        constructPath?: string;
        cloudFormationResource?: { templatePath: string; logicalId: string; propertyPaths?: string[] };
      }[];
    }[];
  }[];
}

/** What validate() is given; the tests give only the template paths. */
type ValidationContext = Parameters<AuthnPackValidation['validate']>[0];

const HEALTH = 'public load balancer health probe, no data returned';

function newApp(
  mode: AppMode,
  props: { policyValidationBeta1?: AuthnPackValidation[] } = {},
): { app: App; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'authn-cdk-validation-'));
  return { app: new App({ outdir, context: { '@aws-cdk/core:appMode': mode }, ...props }), outdir };
}

/** An HTTP API `partner-api` in stack PartnerStack. */
function partnerApi(app: App, name = 'PartnerStack'): { stack: Stack; api: CfnApi } {
  const stack = new Stack(app, name);
  return { stack, api: new CfnApi(stack, 'PartnerApi', { name: 'partner-api', protocolType: 'HTTP' }) };
}

function synthError(app: App): Error {
  try {
    app.synth();
  } catch (error) {
    return error as Error;
  }
  throw new Error('synth did not fail');
}

const reportOf = (outdir: string): ValidationReportJson =>
  JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReportJson;

const pluginReport = (outdir: string) =>
  reportOf(outdir).pluginReports.find((report) => report.pluginName === 'authn-pack');

describe('cli/cdk-validation AuthnPackValidation', function () {
  this.timeout(60_000);
  let builtinValidation: string | undefined;

  // aws-cdk-lib's built-in CloudFormation validation takes seconds per synth and is not what is tested here.
  before(() => {
    builtinValidation = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'false';
  });

  after(() => {
    if (builtinValidation === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = builtinValidation;
  });

  describe('in an App', () => {
    it('fails the synth of an open route, plugged in through App policyValidationBeta1', () => {
      // Prepare: aws-cdk-lib warns on stderr that the App property is deprecated in favour of Validations.
      const warning = sinon.stub(console, 'warn');
      let app: App;
      try {
        app = newApp('inmemory', { policyValidationBeta1: [new AuthnPackValidation()] }).app;
      } finally {
        warning.restore();
      }
      const { stack, api } = partnerApi(app);
      new CfnRoute(stack, 'OpenRoute', {
        apiId: api.ref,
        routeKey: 'POST /partners',
        authorizationType: 'NONE',
      });
      // Act
      const error = synthError(app);
      // Assess
      expect(error.name).to.equal('ValidationFailed');
      expect(error.message).to.include('(authn-pack)');
      expect(error.message).to.include('APIGateway.8');
      expect(error.message).to.include('API Gateway v2 routes specify an authorization type');
      expect(error.message).to.include('PartnerStack/OpenRoute (OpenRoute)');
      expect(error.message).to.include(
        'Suggested fix: set AuthorizationType to JWT or CUSTOM (with AuthorizerId) or AWS_IAM',
      );
    });

    it('fails the synth through Validations.of(app).addPlugins, writing the violation to validation-report.json', () => {
      // Prepare
      const { app, outdir } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const { stack, api } = partnerApi(app);
      new CfnRoute(stack, 'OpenRoute', {
        apiId: api.ref,
        routeKey: 'POST /partners',
        authorizationType: 'NONE',
      });
      // Act
      const error = synthError(app);
      // Assess
      expect(error.message).to.include("Acknowledge with 'authn-pack::APIGateway.8'");
      const report = pluginReport(outdir);
      expect(report?.conclusion).to.equal('failure');
      expect(report?.pluginVersion).to.match(/^\d+\.\d+\.\d+/);
      expect(report?.violations).to.have.length(1);
      const [violation] = report?.violations ?? [];
      expect(violation).to.deep.include({
        ruleName: 'APIGateway.8',
        description: 'API Gateway v2 routes specify an authorization type',
        suggestedFix: 'set AuthorizationType to JWT or CUSTOM (with AuthorizerId) or AWS_IAM',
        severity: 'error',
      });
      expect(violation?.ruleMetadata?.['PartnerStack/OpenRoute']).to.match(
        /^Route "POST \/partners" of API "partner-api" \(PartnerApi\) has no authorization/,
      );
      expect(violation?.violatingConstructs).to.deep.equal([
        {
          constructPath: 'PartnerStack/OpenRoute',
          constructFqn: 'aws-cdk-lib.aws_apigatewayv2.CfnRoute',
          libraryVersion: (violation?.violatingConstructs[0] as { libraryVersion?: string }).libraryVersion,
          cloudFormationResource: {
            templatePath: 'PartnerStack.template.json',
            logicalId: 'OpenRoute',
            propertyPaths: ['Properties.AuthorizationType'],
          },
          stackTraces: (violation?.violatingConstructs[0] as { stackTraces?: string[] }).stackTraces,
        },
      ]);
    });

    it('under `cdk synth` (process mode) prints the report, sets exit code 1 and does not throw', () => {
      // Prepare
      const { app } = newApp('process');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const { stack, api } = partnerApi(app);
      new CfnRoute(stack, 'OpenRoute', { apiId: api.ref, routeKey: 'POST /partners' });
      const printed = sinon.stub(console, 'error');
      const exitCode = process.exitCode;
      let codeAfterSynth: typeof process.exitCode;
      // Act
      try {
        app.synth();
        codeAfterSynth = process.exitCode;
      } finally {
        printed.restore();
        process.exitCode = exitCode;
      }
      // Assess
      expect(codeAfterSynth).to.equal(1);
      const text = printed.args.map((args) => args.join(' ')).join('\n');
      expect(text).to.include('(authn-pack)');
      expect(text).to.include('authn-pack::APIGateway.8');
    });

    it('lets a clean app synthesize (aws-cdk-lib leaves a passing plugin out of its report)', () => {
      // Prepare
      const { app, outdir } = newApp('inmemory');
      const plugin = new AuthnPackValidation();
      const validate = sinon.spy(plugin, 'validate');
      Validations.of(app).addPlugins(plugin);
      const { stack, api } = partnerApi(app);
      new CfnRoute(stack, 'OrdersRoute', {
        apiId: api.ref,
        routeKey: 'GET /orders',
        authorizationType: 'JWT',
        authorizerId: 'jwt0001',
      });
      new CfnGraphQLApi(stack, 'Reviews', { name: 'reviews', authenticationType: 'AWS_IAM' });
      // Act
      const assembly = app.synth();
      // Assess
      expect(assembly.getStackByName('PartnerStack').template).to.have.nested.property(
        'Resources.OrdersRoute',
      );
      expect(validate.calledOnce).to.equal(true);
      expect(validate.firstCall.returnValue).to.deep.include({ success: true, violations: [] });
      expect(pluginReport(outdir)).to.equal(undefined);
    });

    it('passes a WebSocket route beside an authorized $connect (cdk-nag flags it)', () => {
      // Prepare
      const { app } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const stack = new Stack(app, 'ChatStack');
      const chat = new CfnApi(stack, 'ChatApi', {
        name: 'chat-ws',
        protocolType: 'WEBSOCKET',
        routeSelectionExpression: '$request.body.action',
      });
      new CfnRoute(stack, 'ConnectRoute', {
        apiId: chat.ref,
        routeKey: '$connect',
        authorizationType: 'AWS_IAM',
      });
      new CfnRoute(stack, 'SendRoute', { apiId: chat.ref, routeKey: 'sendMessage' });
      new CfnRoute(stack, 'DisconnectRoute', {
        apiId: chat.ref,
        routeKey: '$disconnect',
        authorizationType: 'NONE',
      });
      // Act
      const synth = () => app.synth();
      // Assess
      expect(synth).to.not.throw();
    });

    it('fails the routes of a WebSocket API without $connect', () => {
      // Prepare
      const { app, outdir } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const stack = new Stack(app, 'ChatStack');
      const chat = new CfnApi(stack, 'ChatApi', {
        name: 'chat-ws',
        protocolType: 'WEBSOCKET',
        routeSelectionExpression: '$request.body.action',
      });
      new CfnRoute(stack, 'SendRoute', { apiId: chat.ref, routeKey: 'sendMessage' });
      // Act
      synthError(app);
      // Assess
      const [violation] = pluginReport(outdir)?.violations ?? [];
      expect(violation?.suggestedFix).to.match(/^add an AWS::ApiGatewayV2::Route with RouteKey \$connect/);
      expect(violation?.violatingConstructs[0]?.cloudFormationResource?.propertyPaths).to.deep.equal([
        'SendRoute',
      ]);
    });

    it('passes a route whose AuthorizationType is a CfnParameter with default JWT (cdk-nag flags it)', () => {
      // Prepare
      const { app } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const { stack, api } = partnerApi(app);
      const routeAuth = new CfnParameter(stack, 'RouteAuth', { type: 'String', default: 'JWT' });
      new CfnRoute(stack, 'OrdersRoute', {
        apiId: api.ref,
        routeKey: 'GET /orders',
        authorizationType: routeAuth.valueAsString,
      });
      // Act
      const synth = () => app.synth();
      // Assess
      expect(synth).to.not.throw();
    });

    it('fails a route whose AuthorizationType depends on a condition: it cannot be verified before deploy', () => {
      // Prepare
      const { app, outdir } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const { stack, api } = partnerApi(app);
      const isProd = new CfnCondition(stack, 'IsProd', {
        expression: Fn.conditionEquals(stack.account, '111122223333'),
      });
      new CfnRoute(stack, 'AdminRoute', {
        apiId: api.ref,
        routeKey: 'GET /admin',
        authorizationType: Fn.conditionIf(isProd.logicalId, 'AWS_IAM', 'NONE').toString(),
      });
      // Act
      synthError(app);
      // Assess
      const [violation] = pluginReport(outdir)?.violations ?? [];
      expect(violation?.ruleMetadata?.['PartnerStack/AdminRoute']).to.match(
        /cannot be verified before deploy: AuthorizationType is not known before deploy \(Fn::If/,
      );
      expect(violation?.suggestedFix).to.match(/^make AuthorizationType a literal/);
      expect(violation?.violatingConstructs[0]?.cloudFormationResource?.propertyPaths).to.deep.equal([
        'Properties.AuthorizationType',
      ]);
    });

    it("honours an exception tag on the API, as the CLI does, and lists it in the report's metadata", () => {
      // Prepare
      const { app } = newApp('inmemory');
      const plugin = new AuthnPackValidation();
      const validate = sinon.spy(plugin, 'validate');
      Validations.of(app).addPlugins(plugin);
      const { stack, api } = partnerApi(app);
      Tags.of(api).add('authn-exception/APIGateway.8/GET /health', HEALTH);
      Tags.of(api).add('authn-exception-expires/APIGateway.8/GET /health', '2099-12-31');
      new CfnRoute(stack, 'HealthRoute', {
        apiId: api.ref,
        routeKey: 'GET /health',
        authorizationType: 'NONE',
      });
      // Act
      app.synth();
      // Assess
      const report = validate.firstCall.returnValue;
      expect(report.success).to.equal(true);
      expect(report.metadata).to.deep.equal({
        'APIGateway.8 PartnerStack/HealthRoute': `Exception: ${HEALTH} (expires 2099-12-31)`,
      });
    });

    it('reports one violation per failing control, naming resources of every stack', () => {
      // Prepare
      const { app, outdir } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const first = partnerApi(app, 'FirstStack');
      new CfnRoute(first.stack, 'OpenRoute', { apiId: first.api.ref, routeKey: 'POST /partners' });
      new CfnGraphQLApi(first.stack, 'Reviews', { name: 'reviews', authenticationType: 'API_KEY' });
      const second = partnerApi(app, 'SecondStack');
      new CfnRoute(second.stack, 'OpenRoute', { apiId: second.api.ref, routeKey: 'POST /partners' });
      new CfnApi(second.stack, 'QuickApi', {
        name: 'quick',
        protocolType: 'HTTP',
        target: 'arn:aws:lambda:eu-west-1:111122223333:function:q',
      });
      // Act
      synthError(app);
      // Assess
      const violations = pluginReport(outdir)?.violations ?? [];
      expect(violations.map((v) => v.ruleName)).to.deep.equal(['APIGateway.8', 'AppSync.5']);
      const routes = violations[0]?.violatingConstructs.map((c) => [
        c.constructPath,
        c.cloudFormationResource?.propertyPaths?.[0],
      ]);
      expect(routes).to.have.deep.members([
        ['FirstStack/OpenRoute', 'Properties.AuthorizationType'],
        ['SecondStack/OpenRoute', 'Properties.AuthorizationType'],
        ['SecondStack/QuickApi', 'Properties.Target'],
      ]);
      expect(violations[0]?.suggestedFix?.split('\n')).to.have.deep.members([
        'OpenRoute: set AuthorizationType to JWT or CUSTOM (with AuthorizerId) or AWS_IAM',
        'OpenRoute: set AuthorizationType to JWT or CUSTOM (with AuthorizerId) or AWS_IAM',
        'QuickApi: add an AWS::ApiGatewayV2::ApiGatewayManagedOverrides with Route.AuthorizationType JWT, AWS_IAM or CUSTOM, or define the routes explicitly',
      ]);
    });

    it('checks the resources of nested stacks, whose templates aws-cdk-lib does not hand to plugins', () => {
      // Prepare: a stale nested template from an earlier synth must not be read.
      const { app, outdir } = newApp('inmemory');
      writeFileSync(
        join(outdir, 'ParentGoneABCD1234.nested.template.json'),
        JSON.stringify({
          Resources: {
            Old: { Type: 'AWS::AppSync::GraphQLApi', Properties: { AuthenticationType: 'API_KEY' } },
          },
        }),
      );
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const parent = new Stack(app, 'Parent');
      const routes = new NestedStack(parent, 'Routes');
      const inner = new NestedStack(routes, 'Inner');
      const api = new CfnApi(routes, 'PartnerApi', { name: 'partner-api', protocolType: 'HTTP' });
      new CfnRoute(routes, 'OpenRoute', { apiId: api.ref, routeKey: 'POST /partners' });
      new CfnGraphQLApi(inner, 'Reviews', { name: 'reviews', authenticationType: 'API_KEY' });
      // Act
      const error = synthError(app);
      // Assess
      expect(error.message).to.include('APIGateway.8');
      const violations = pluginReport(outdir)?.violations ?? [];
      expect(violations.map((v) => v.ruleName)).to.deep.equal(['APIGateway.8', 'AppSync.5']);
      expect(violations[0]?.violatingConstructs[0]?.cloudFormationResource?.templatePath).to.match(
        /^ParentRoutes.*\.nested\.template\.json$/,
      );
      expect(
        violations[1]?.violatingConstructs.map((c) => c.cloudFormationResource?.logicalId),
      ).to.deep.equal(['Reviews']);
    });

    it('passes an L2 GraphqlApi on Cognito with a Lambda authorizer (the authorizer is a !GetAtt, only types are read)', () => {
      // Prepare
      const { app } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const stack = new Stack(app, 'GraphStack');
      const schema = join(mkdtempSync(join(tmpdir(), 'authn-schema-')), 'schema.graphql');
      writeFileSync(schema, 'type Query { review(id: ID!): String }\n');
      const authorizer = new lambda.Function(stack, 'Authorizer', {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => ({ isAuthorized: false });'),
      });
      new appsync.GraphqlApi(stack, 'Reviews', {
        name: 'reviews',
        definition: appsync.Definition.fromSchema(appsync.SchemaFile.fromAsset(schema)),
        authorizationConfig: {
          defaultAuthorization: {
            authorizationType: appsync.AuthorizationType.USER_POOL,
            userPoolConfig: { userPool: new cognito.UserPool(stack, 'Users') },
          },
          additionalAuthorizationModes: [
            {
              authorizationType: appsync.AuthorizationType.LAMBDA,
              lambdaAuthorizerConfig: { handler: authorizer },
            },
          ],
        },
      });
      // Act
      const synth = () => app.synth();
      // Assess
      expect(synth).to.not.throw();
    });

    it('passes a quick-create API whose managed overrides set JWT', () => {
      // Prepare
      const { app } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation());
      const stack = new Stack(app, 'QuickStack');
      const quick = new CfnApi(stack, 'QuickApi', {
        name: 'quick',
        protocolType: 'HTTP',
        target: 'arn:aws:lambda:eu-west-1:111122223333:function:q',
      });
      new CfnApiGatewayManagedOverrides(stack, 'Overrides', {
        apiId: quick.ref,
        route: { authorizationType: 'JWT', authorizerId: 'jwt0001' },
      });
      // Act
      const synth = () => app.synth();
      // Assess
      expect(synth).to.not.throw();
    });
  });

  describe('options', () => {
    /** Runs validate() directly on one template file. */
    function validateTemplate(template: Record<string, unknown>, options?: AuthnPackValidationOptions) {
      const folder = mkdtempSync(join(tmpdir(), 'authn-cdk-plugin-'));
      const templatePath = join(folder, 'Stack.template.json');
      writeFileSync(templatePath, JSON.stringify(template, null, 1));
      const context = { templatePaths: [templatePath] } as unknown as ValidationContext;
      return { report: new AuthnPackValidation(options).validate(context), templatePath };
    }

    const OPEN: Record<string, unknown> = {
      Resources: {
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'partner-api', ProtocolType: 'HTTP' } },
        IamRoute: {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /orders', AuthorizationType: 'AWS_IAM' },
        },
        Graph: {
          Type: 'AWS::AppSync::GraphQLApi',
          Properties: { Name: 'reviews', AuthenticationType: 'API_KEY' },
        },
      },
    };

    it('names itself authn-pack with its version and the controls it evaluates', () => {
      // Act
      const plugin = new AuthnPackValidation({ controls: ['msk.6', 'authn-appsync-no-api-key'] });
      // Assess
      expect(plugin.name).to.equal('authn-pack');
      expect(plugin.version).to.match(/^\d+\.\d+\.\d+/);
      expect(plugin.ruleIds).to.deep.equal(['MSK.6', 'AppSync.5']);
      // Every registered control, in registry order (test/rules/index.test.ts checks the registry itself).
      expect(new AuthnPackValidation().ruleIds).to.deep.equal(RULES.map((rule) => rule.control));
    });

    it('gives the violating resource its logical id, template path and property', () => {
      // Act
      const { report, templatePath } = validateTemplate(OPEN);
      // Assess
      expect(report.success).to.equal(false);
      expect(report.violations).to.have.length(1);
      expect(report.violations[0]?.violatingResources).to.deep.equal([
        { resourceLogicalId: 'Graph', templatePath, locations: ['Properties.AuthenticationType'] },
      ]);
      expect(report.violations[0]?.fix).to.match(/^set AuthenticationType to AMAZON_COGNITO_USER_POOLS/);
    });

    it('evaluates only the controls asked for', () => {
      // Act
      const { report } = validateTemplate(OPEN, { controls: ['APIGateway.8'] });
      // Assess
      expect(report).to.deep.include({ success: true, violations: [] });
    });

    it('takes rule parameters, as the Config rules do', () => {
      // Act
      const { report } = validateTemplate(OPEN, {
        controls: ['APIGateway.8'],
        parameters: { authorizationType: 'JWT' },
      });
      // Assess
      expect(report.success).to.equal(false);
      expect(report.violations[0]?.violatingResources[0]?.resourceLogicalId).to.equal('IamRoute');
    });

    it('reads exception tags with the prefix it is given, and requires expiry when told', () => {
      // Prepare
      const tagged = structuredClone(OPEN) as {
        Resources: Record<string, { Properties: Record<string, unknown> }>;
      };
      const graph = tagged.Resources.Graph;
      if (graph !== undefined)
        graph.Properties.Tags = [{ Key: 'sec-ex/AppSync.5', Value: 'public catalogue, rate limited' }];
      // Act
      const honoured = validateTemplate(tagged, { exceptionPrefix: 'sec-ex' }).report;
      const defaultPrefix = validateTemplate(tagged).report;
      const expiryRequired = validateTemplate(tagged, {
        exceptionPrefix: 'sec-ex',
        requireExpiry: true,
      }).report;
      // Assess
      expect(honoured.success).to.equal(true);
      expect(honoured.metadata).to.deep.equal({
        'AppSync.5 Stack/Graph': 'Exception: public catalogue, rate limited (no expiry)',
      });
      expect(defaultPrefix.success).to.equal(false);
      expect(expiryRequired.success).to.equal(false);
      expect(expiryRequired.violations[0]?.ruleMetadata?.['Stack/Graph']).to.match(
        /^Exception tag sec-ex\/AppSync\.5 not honoured: it has no expiry tag/,
      );
    });

    it('judges exception expiry against the clock it is given', () => {
      // Prepare
      const tagged = structuredClone(OPEN) as {
        Resources: Record<string, { Properties: Record<string, unknown> }>;
      };
      const graph = tagged.Resources.Graph;
      if (graph !== undefined) {
        graph.Properties.Tags = [
          { Key: 'authn-exception/AppSync.5', Value: 'public catalogue, rate limited' },
          { Key: 'authn-exception-expires/AppSync.5', Value: '2026-06-30' },
        ];
      }
      // Act
      const before = validateTemplate(tagged, { now: () => new Date('2026-06-30T23:00:00Z') }).report;
      const after = validateTemplate(tagged, { now: () => new Date('2026-07-01T00:00:00Z') }).report;
      // Assess
      expect(before.success).to.equal(true);
      expect(after.success).to.equal(false);
    });

    it('refuses an unknown control, an unknown parameter or a bad parameter value when constructed', () => {
      // Act
      const control = () => new AuthnPackValidation({ controls: ['S3.1'] });
      const name = () => new AuthnPackValidation({ parameters: { Nope: '1' } });
      const value = () => new AuthnPackValidation({ parameters: { RequireAuthOnAllVersions: 'maybe' } });
      // Assess
      expect(control).to.throw(
        Error,
        /^authn-pack: unknown control "S3\.1"; one of APIGateway\.8, AppSync\.5/,
      );
      expect(name).to.throw(Error, /^authn-pack: unknown rule parameter "Nope"/);
      expect(value).to.throw(ParameterError, /RequireAuthOnAllVersions/);
    });

    it('fails, through aws-cdk-lib, on a template it cannot read', () => {
      // Prepare
      const folder = mkdtempSync(join(tmpdir(), 'authn-cdk-plugin-'));
      const templatePath = join(folder, 'Broken.template.json');
      writeFileSync(templatePath, '{"Resources": ');
      const context = { templatePaths: [templatePath] } as unknown as ValidationContext;
      // Act
      const validate = () => new AuthnPackValidation().validate(context);
      // Assess
      expect(validate).to.throw(/Broken\.template\.json:1:\d+: not a readable template/);
    });

    it('locates an MSK failure on ClientAuthentication', () => {
      // Prepare
      const { app, outdir } = newApp('inmemory');
      Validations.of(app).addPlugins(new AuthnPackValidation({ controls: ['MSK.6'] }));
      const stack = new Stack(app, 'KafkaStack');
      new CfnCluster(stack, 'Clickstream', {
        clusterName: 'clickstream',
        kafkaVersion: '3.5.1',
        numberOfBrokerNodes: 2,
        brokerNodeGroupInfo: { instanceType: 'kafka.m7g.large', clientSubnets: ['subnet-0a1', 'subnet-0b2'] },
        clientAuthentication: { sasl: { iam: { enabled: true } }, unauthenticated: { enabled: true } },
      });
      // Act
      synthError(app);
      // Assess
      const [violation] = pluginReport(outdir)?.violations ?? [];
      expect(violation?.ruleName).to.equal('MSK.6');
      expect(violation?.violatingConstructs[0]?.cloudFormationResource?.propertyPaths).to.deep.equal([
        'Properties.ClientAuthentication',
      ]);
      expect(violation?.ruleMetadata?.['KafkaStack/Clickstream']).to.match(/supplemented but not removed/);
    });
  });
});
