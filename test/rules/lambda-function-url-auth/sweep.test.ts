/**
 * The function URL sweep in parts (one per function): listing makes ListFunctions alone, a part reads one function's
 * URLs, with the same fallback as the whole sweep where ListFunctionUrlConfigs is not served (moto 5.2 answers it
 * with a 404 page), and the whole sweep is the parts read whole.
 */
import {
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionUrlConfigsCommand,
  ListFunctionsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepContext } from '../../../rules/core/types';
import { sweepFunctionUrlParts, sweepFunctionUrls } from '../../../rules/lambda-function-url-auth/sweep';
import { ACCOUNT, REGION } from '../../helpers/events';

const CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'lambda-function-url-auth');
const FUNCTIONS = ['stripe-webhook', 'orders-export', 'reports-api', 'thumbnailer'];

/** A Lambda API answer as the service returns it, from test/fixtures/lambda-function-url-auth. */
function answer(name: string): Record<string, unknown> {
  const body = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
  return { ...body, $metadata: {} };
}

const arnOf = (name: string, qualifier?: string): string =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;

describe('lambda-function-url-auth sweep: parts (no ceiling)', () => {
  let lambda: AwsClientStub<LambdaClient>;
  const client = new LambdaClient({ region: REGION });

  beforeEach(() => {
    lambda = mockClient(LambdaClient);
    lambda.on(ListFunctionsCommand).resolves(answer('list-functions'));
    for (const name of FUNCTIONS)
      lambda
        .on(ListFunctionUrlConfigsCommand, { FunctionName: name })
        .resolves(answer(`list-function-url-configs-${name}`));
  });

  afterEach(() => {
    lambda.restore();
  });

  it('lists one part per function, keyed by its name, with ListFunctions alone', async () => {
    // Act
    const parts = await sweepFunctionUrlParts(client, CONTEXT);
    // Assess
    expect(parts.map((part) => part.key)).to.deep.equal(FUNCTIONS);
    expect(lambda.calls()).to.have.length(1);
  });

  it("reads one function's URLs when its part is read; a function without a URL is a part that finds nothing", async () => {
    // Prepare
    const parts = await sweepFunctionUrlParts(client, CONTEXT);
    // Act
    const orders = await parts[1]?.read();
    const thumbnailer = await parts[3]?.read();
    // Assess
    expect(
      lambda.commandCalls(ListFunctionUrlConfigsCommand).map((call) => call.args[0].input.FunctionName),
    ).to.deep.equal(['orders-export', 'thumbnailer']);
    expect(orders?.map((resource) => resource.resourceId)).to.deep.equal([
      arnOf('orders-export'),
      arnOf('orders-export', 'prod'),
    ]);
    expect(thumbnailer).to.deep.equal([]);
  });

  it('keeps the GetFunctionUrlConfig fallback inside a part when ListFunctionUrlConfigs answers with a 404 page', async () => {
    // Prepare: as the SDK throws moto 5.2's 404 page for ListFunctionUrlConfigs.
    lambda.on(ListFunctionUrlConfigsCommand).rejects(
      Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'), {
        $metadata: { httpStatusCode: 404 },
      }),
    );
    lambda.on(ListAliasesCommand).resolves({ Aliases: [] });
    lambda.on(ListAliasesCommand, { FunctionName: 'orders-export' }).resolves({
      Aliases: [{ AliasArn: arnOf('orders-export', 'prod'), Name: 'prod', FunctionVersion: '3' }],
    });
    lambda.on(GetFunctionUrlConfigCommand).rejects(
      new ResourceNotFoundException({
        message: 'The resource you requested does not exist.',
        $metadata: {},
      }),
    );
    lambda.on(GetFunctionUrlConfigCommand, { FunctionName: 'orders-export', Qualifier: 'prod' }).resolves({
      FunctionUrl: `https://wq7ml2oq5xhjy6lqz4bvdj7tqu0zqsjn.lambda-url.${REGION}.on.aws/`,
      FunctionArn: arnOf('orders-export', 'prod'),
      AuthType: 'NONE',
    });
    const parts = await sweepFunctionUrlParts(client, CONTEXT);
    // Act
    const orders = await parts[1]?.read();
    // Assess
    expect(orders?.map((resource) => [resource.resourceId, resource.facts.authType])).to.deep.equal([
      [arnOf('orders-export', 'prod'), 'NONE'],
    ]);
    expect(lambda.commandCalls(GetFunctionUrlConfigCommand)).to.have.length(2);
  });

  it('sweeps whole exactly what the parts read, in the same order', async () => {
    // Prepare
    const parts = await sweepFunctionUrlParts(client, CONTEXT);
    const byParts = (await Promise.all(parts.map((part) => part.read()))).flat();
    // Act
    const whole = await sweepFunctionUrls(client, CONTEXT);
    // Assess
    expect(whole.map((resource) => resource.resourceId)).to.deep.equal(
      byParts.map((resource) => resource.resourceId),
    );
    expect(whole).to.have.length(4);
  });
});
