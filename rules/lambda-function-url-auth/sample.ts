/**
 * Function URLs: a webhook on NONE documented as an exception, an export URL on NONE, an IAM URL and a function with
 * no URL. The emulator accepts no URL on an alias (moto 5.2 forbids the qualifier), so the exception is function-wide
 * here; alias URLs are covered by the rule's tests with Lambda-shaped answers.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  LambdaClient,
  type FunctionUrlAuthType,
} from '@aws-sdk/client-lambda';
import type { RuleSample, SampleClientSettings } from '../core/sample';

/** An empty zip archive: the emulator stores a function's code but never runs it. */
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

/** The documented exception of a webhook URL: the provider cannot sign with SigV4, the handler checks its HMAC. */
export function webhookException(today: Date): Record<string, string> {
  const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  return {
    'authn-exception/AUTHN-LAMBDA-URL':
      'Stripe webhook: handler verifies the Stripe-Signature HMAC before any work',
    'authn-exception-expires/AUTHN-LAMBDA-URL': nextYear,
  };
}

export async function seedLambda(settings: SampleClientSettings, today: Date): Promise<void> {
  const role = await new IAMClient(settings).send(
    new CreateRoleCommand({
      RoleName: 'sample-function-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const client = new LambdaClient(settings);
  const functions: [string, Record<string, string>, FunctionUrlAuthType | undefined][] = [
    ['stripe-webhook', { team: 'payments', ...webhookException(today) }, 'NONE'],
    ['orders-export', { team: 'partners' }, 'NONE'],
    ['reports-api', { team: 'finance' }, 'AWS_IAM'],
    ['thumbnailer', { team: 'media' }, undefined],
  ];
  for (const [name, tags, authType] of functions) {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: role.Role?.Arn,
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        Tags: tags,
      }),
    );
    if (authType !== undefined)
      await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: authType }));
  }
}

export const sample: RuleSample = { event: 'scheduled.json', seed: seedLambda };
