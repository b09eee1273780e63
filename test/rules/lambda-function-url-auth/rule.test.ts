import {
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionUrlConfigsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decideSwept } from '../../../rules/core/decide';
import {
  functionUrlRemediation,
  functionUrlRemediationHint,
  parseFunctionArn,
} from '../../../rules/lambda-function-url-auth/decision';
import type { FunctionUrlFacts } from '../../../rules/lambda-function-url-auth/facts';
import { lambdaFunctionUrlAuth as rule } from '../../../rules/lambda-function-url-auth/rule';
import { ACCOUNT, REGION } from '../../helpers/events';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';

const TODAY = '2026-10-03';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
const PARAMS = { ReportUnchanged: false, RefreshAfterDays: 30 };
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'lambda-function-url-auth');
const WEBHOOK = 'Stripe webhook: handler verifies the Stripe-Signature HMAC before any work';
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });

/** A Lambda API answer as the service returns it (PascalCase JSON), from test/fixtures/lambda-function-url-auth. */
function answer(name: string): Record<string, unknown> {
  const body = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
  return { ...body, $metadata: {} };
}

const arnOf = (name: string, qualifier?: string): string =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;

function url(overrides: Partial<FunctionUrlFacts> = {}): FunctionUrlFacts {
  return {
    functionName: 'orders-export',
    functionArn: arnOf('orders-export'),
    qualifier: undefined,
    authType: 'AWS_IAM',
    functionUrl: `https://n6q3i7o2bjd4s2sewpsf5v4jyy0ufbrm.lambda-url.${REGION}.on.aws/`,
    region: REGION,
    ...overrides,
  };
}

describe('AUTHN-LAMBDA-URL authn-lambda-function-url-auth', () => {
  describe('evaluate: the verdict table', () => {
    tester.run({
      valid: [
        {
          title: 'AuthType AWS_IAM → COMPLIANT',
          facts: url(),
          code: 'lambda-url-auth-iam',
          annotation: /^Function URL of "orders-export" requires IAM \(SigV4-signed\) requests\.$/,
        },
      ],
      invalid: [
        {
          title: 'AuthType NONE → NON_COMPLIANT',
          facts: url({ authType: 'NONE' }),
          code: 'lambda-url-auth-none',
          annotation:
            /^Function URL of "orders-export" has AuthType NONE: Lambda authenticates nobody and the URL is on the internet\. Set AuthType AWS_IAM/,
        },
        {
          title: 'an alias URL with AuthType NONE → NON_COMPLIANT, naming the alias',
          facts: url({ qualifier: 'live', authType: 'NONE' }),
          code: 'lambda-url-auth-none',
          annotation: /^Function URL of "orders-export" alias "live" has AuthType NONE/,
        },
        {
          title: 'no AuthType → NON_COMPLIANT (fail closed)',
          facts: url({ authType: undefined }),
          code: 'lambda-url-auth-type-missing',
          annotation: /reports no AuthType; authentication not verified/,
        },
        {
          title: 'an AuthType Lambda does not define → NON_COMPLIANT (fail closed)',
          facts: url({ authType: 'COGNITO' }),
          code: 'lambda-url-auth-type-unrecognised',
          annotation: /unrecognised AuthType "COGNITO"/,
        },
      ],
    });

    it('every URL ranks as internet-facing (function URLs are public endpoints)', () => {
      // Act and Assess
      expect(rule.isInternetFacing?.(url({ authType: 'NONE' }))).to.equal(true);
    });

    it('remediation switches the alias URL to AWS_IAM and removes the public grant', () => {
      // Act
      const command = functionUrlRemediation(url({ qualifier: 'live', authType: 'NONE' }));
      // Assess
      expect(command).to.match(
        new RegExp(
          `^aws lambda update-function-url-config --region ${REGION} --function-name orders-export --qualifier live --auth-type AWS_IAM && aws lambda remove-permission --region ${REGION} --function-name orders-export --qualifier live --statement-id FunctionURLAllowPublicAccess`,
        ),
      );
    });

    it('the hint reads function and alias from the URL ARN, or takes the function name of a parent evaluation', () => {
      // Act
      const fromArn = functionUrlRemediationHint({
        resourceType: 'AWS::Lambda::Url',
        resourceId: arnOf('stripe-webhook', 'live'),
        region: REGION,
      });
      const fromName = functionUrlRemediationHint({
        resourceType: 'AWS::Lambda::Function',
        resourceId: 'stripe-webhook',
        region: REGION,
      });
      // Assess
      expect(fromArn).to.include('--function-name stripe-webhook --qualifier live --auth-type AWS_IAM');
      expect(fromName).to.include('--function-name stripe-webhook --auth-type AWS_IAM');
      expect(fromName).to.include('for each alias URL: --qualifier <alias>');
    });

    it('parses function ARNs with and without a qualifier, and nothing else', () => {
      // Act and Assess
      expect(parseFunctionArn(arnOf('a-b_c'))).to.deep.equal({ name: 'a-b_c', qualifier: undefined });
      expect(parseFunctionArn(arnOf('a', 'live'))).to.deep.equal({ name: 'a', qualifier: 'live' });
      expect(parseFunctionArn(`${arnOf('a')}:$LATEST`)).to.deep.equal({ name: 'a', qualifier: undefined });
      expect(parseFunctionArn(`arn:aws:s3:::bucket`)).to.equal(undefined);
    });
  });

  describe('exceptions: tags on the function, the alias as qualifier', () => {
    tester.runExceptions({
      valid: [
        {
          title: 'a webhook alias documented by an alias-qualified exception → COMPLIANT',
          facts: url({ functionName: 'stripe-webhook', qualifier: 'live', authType: 'NONE' }),
          tags: {
            'authn-exception/AUTHN-LAMBDA-URL/live': WEBHOOK,
            'authn-exception-expires/AUTHN-LAMBDA-URL/live': '2026-12-31',
          },
          code: 'lambda-url-auth-none',
          annotation: new RegExp(`^Exception: ${WEBHOOK} \\(expires 2026-12-31\\)$`),
        },
        {
          title: "a function-wide exception covers the function's own URL, and says it is function-wide",
          facts: url({ functionName: 'stripe-webhook', authType: 'NONE' }),
          tags: { 'authn-exception/AUTHN-LAMBDA-URL': WEBHOOK },
          code: 'lambda-url-auth-none',
          annotation: /^Exception: Stripe webhook: .* \(function-wide exception, no expiry\)$/,
        },
      ],
      invalid: [
        {
          title: "an alias-qualified exception does not cover the function's own URL",
          facts: url({ functionName: 'stripe-webhook', authType: 'NONE' }),
          tags: { 'authn-exception/AUTHN-LAMBDA-URL/live': WEBHOOK },
          code: 'lambda-url-auth-none',
          annotation: /^Function URL of "stripe-webhook" has AuthType NONE/,
        },
        {
          title: 'an expired alias exception → NON_COMPLIANT naming the tag',
          facts: url({ functionName: 'stripe-webhook', qualifier: 'live', authType: 'NONE' }),
          tags: {
            'authn-exception/AUTHN-LAMBDA-URL/live': WEBHOOK,
            'authn-exception-expires/AUTHN-LAMBDA-URL/live': '2026-10-01',
          },
          code: 'exception-tag-invalid',
          annotation: /^Exception tag authn-exception-expires\/AUTHN-LAMBDA-URL\/live not honoured/,
        },
      ],
    });
  });

  describe('sweep: real-shaped Lambda answers', () => {
    let lambda: AwsClientStub<LambdaClient>;
    const client = new LambdaClient({ region: REGION });
    beforeEach(() => {
      lambda = mockClient(LambdaClient);
      lambda.on(ListFunctionsCommand).resolves(answer('list-functions'));
      for (const name of ['stripe-webhook', 'orders-export', 'reports-api', 'thumbnailer'])
        lambda
          .on(ListFunctionUrlConfigsCommand, { FunctionName: name })
          .resolves(answer(`list-function-url-configs-${name}`));
      lambda
        .on(ListTagsCommand, { Resource: arnOf('stripe-webhook') })
        .resolves(answer('list-tags-stripe-webhook'));
      lambda
        .on(ListTagsCommand, { Resource: arnOf('orders-export') })
        .resolves(answer('list-tags-orders-export'));
    });
    afterEach(() => {
      lambda.restore();
    });

    it('reports one evaluation per URL (function and alias) by its function ARN, none for a function without one', async () => {
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(
        swept.map((resource) => [resource.resourceType, resource.resourceId, resource.resourceName]),
      ).to.deep.equal([
        ['AWS::Lambda::Url', arnOf('stripe-webhook', 'live'), 'stripe-webhook:live'],
        ['AWS::Lambda::Url', arnOf('orders-export'), 'orders-export'],
        ['AWS::Lambda::Url', arnOf('orders-export', 'prod'), 'orders-export:prod'],
        ['AWS::Lambda::Url', arnOf('reports-api'), 'reports-api'],
      ]);
      expect(swept.map((resource) => resource.parent)).to.deep.include({
        resourceType: 'AWS::Lambda::Function',
        resourceId: 'orders-export',
        resourceName: 'orders-export',
      });
    });

    it('honours the documented webhook exception, fails the open export URL, and reads tags once per failing function', async () => {
      // Prepare
      const swept = await rule.sweep(client, CONTEXT);
      // Act
      const verdicts = await Promise.all(
        swept.map((resource) => decideSwept(rule, resource, PARAMS, EXCEPTIONS)),
      );
      // Assess
      expect(verdicts.map((verdict) => verdict.compliance)).to.deep.equal([
        'COMPLIANT',
        'NON_COMPLIANT',
        'COMPLIANT',
        'COMPLIANT',
      ]);
      expect(verdicts[0]?.annotation).to.equal(`Exception: ${WEBHOOK} (expires 2026-12-31)`);
      expect(lambda.commandCalls(ListTagsCommand).map((call) => call.args[0].input.Resource)).to.have.members(
        [arnOf('stripe-webhook'), arnOf('orders-export')],
      );
      expect(lambda.commandCalls(ListTagsCommand)).to.have.length(2);
    });

    it('loses no URL when ListFunctionUrlConfigs is not served: GetFunctionUrlConfig on the function and each alias', async () => {
      // Prepare: an endpoint that answers ListFunctionUrlConfigs with a 404 page (moto 5.2), as the SDK then throws it.
      const notServed = Object.assign(
        new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'),
        {
          $metadata: { httpStatusCode: 404 },
        },
      );
      lambda.on(ListFunctionUrlConfigsCommand).rejects(notServed);
      // General answers first: a later, narrower input matcher wins over an earlier one.
      lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
      lambda.on(ListAliasesCommand, { FunctionName: 'orders-export' }).resolves({
        Aliases: [
          { AliasArn: arnOf('orders-export', 'prod'), Name: 'prod', FunctionVersion: '3' },
          { AliasArn: arnOf('orders-export', 'canary'), Name: 'canary', FunctionVersion: '4' },
        ],
      });
      const missing = new ResourceNotFoundException({
        message: 'The resource you requested does not exist.',
        $metadata: {},
      });
      lambda.on(GetFunctionUrlConfigCommand).rejects(missing);
      lambda.on(GetFunctionUrlConfigCommand, { FunctionName: 'orders-export' }).resolves({
        FunctionUrl: `https://n6q3i7o2bjd4s2sewpsf5v4jyy0ufbrm.lambda-url.${REGION}.on.aws/`,
        FunctionArn: arnOf('orders-export'),
        AuthType: 'NONE',
      });
      lambda.on(GetFunctionUrlConfigCommand, { FunctionName: 'orders-export', Qualifier: 'prod' }).resolves({
        FunctionUrl: `https://wq7ml2oq5xhjy6lqz4bvdj7tqu0zqsjn.lambda-url.${REGION}.on.aws/`,
        FunctionArn: arnOf('orders-export', 'prod'),
        AuthType: 'AWS_IAM',
      });
      lambda
        .on(GetFunctionUrlConfigCommand, { FunctionName: 'orders-export', Qualifier: 'canary' })
        .rejects(missing);
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(swept.map((resource) => [resource.resourceId, resource.facts.authType])).to.deep.equal([
        [arnOf('orders-export'), 'NONE'],
        [arnOf('orders-export', 'prod'), 'AWS_IAM'],
      ]);
      expect(lambda.commandCalls(GetFunctionUrlConfigCommand)).to.have.length(4 + 2);
    });

    it('counts a URL once when an endpoint ignores the qualifier and answers with the function URL for an alias', async () => {
      // Prepare
      lambda
        .on(ListFunctionsCommand)
        .resolves({ Functions: [{ FunctionName: 'hook', FunctionArn: arnOf('hook') }] });
      lambda.on(ListFunctionUrlConfigsCommand).rejects(new Error('not served'));
      lambda
        .on(ListAliasesCommand)
        .resolves({ Aliases: [{ Name: 'live', AliasArn: arnOf('hook', 'live') }] });
      lambda.on(GetFunctionUrlConfigCommand).resolves({
        FunctionUrl: `https://abc.lambda-url.${REGION}.on.aws/`,
        FunctionArn: arnOf('hook'),
        AuthType: 'NONE',
      });
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(swept.map((resource) => resource.resourceId)).to.deep.equal([arnOf('hook')]);
    });

    it('fails the sweep, naming both calls, when neither way can read a function', async () => {
      // Prepare
      lambda
        .on(ListFunctionUrlConfigsCommand)
        .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      lambda
        .on(ListAliasesCommand)
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
      // Act
      const error = await rule.sweep(client, CONTEXT).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      // Assess
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.match(
        /^URLs of function stripe-webhook could not be read: ListFunctionUrlConfigs failed \(AccessDeniedException: not authorized\) and so did GetFunctionUrlConfig \(TooManyRequestsException: Rate exceeded\)$/,
      );
    });

    it('treats a function deleted during the sweep as having no URL', async () => {
      // Prepare
      lambda
        .on(ListFunctionUrlConfigsCommand, { FunctionName: 'reports-api' })
        .rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(swept.map((resource) => resource.facts.functionName)).not.to.include('reports-api');
      expect(swept).to.have.length(3);
    });

    it('follows NextMarker on ListFunctions and ListFunctionUrlConfigs', async () => {
      // Prepare
      const markers: (string | undefined)[] = [];
      lambda.on(ListFunctionsCommand).callsFake((input: { Marker?: string }) => {
        markers.push(input.Marker);
        return input.Marker === undefined
          ? { Functions: [{ FunctionName: 'a', FunctionArn: arnOf('a') }], NextMarker: 'm2' }
          : { Functions: [{ FunctionName: 'b', FunctionArn: arnOf('b') }] };
      });
      lambda
        .on(ListFunctionUrlConfigsCommand)
        .callsFake((input: { FunctionName: string; Marker?: string }) =>
          input.Marker === undefined
            ? {
                FunctionUrlConfigs: [
                  {
                    FunctionArn: arnOf(input.FunctionName),
                    FunctionUrl: `https://${input.FunctionName}1/`,
                    AuthType: 'AWS_IAM',
                  },
                ],
                NextMarker: 'u2',
              }
            : {
                FunctionUrlConfigs: [
                  {
                    FunctionArn: arnOf(input.FunctionName, 'live'),
                    FunctionUrl: `https://${input.FunctionName}2/`,
                    AuthType: 'NONE',
                  },
                ],
              },
        );
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(markers).to.deep.equal([undefined, 'm2']);
      expect(swept.map((resource) => resource.resourceName)).to.deep.equal(['a', 'a:live', 'b', 'b:live']);
    });
  });
});
