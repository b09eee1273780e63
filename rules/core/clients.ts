/**
 * SDK clients: one per service, adaptive retry mode, created from the SDK's standard configuration (profiles,
 * AWS_REGION, AWS_ENDPOINT_URL[_<SERVICE>]) so every tool of the pack works unchanged against an emulator.
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { ClientSettings } from './types';

/**
 * Adaptive mode slows the client under throttling; measured against a server that always throttles, one call takes
 * about 6 s to give up at 3 attempts and 10–15 s at 5. Three, with the runtime's own retries on top, bounds an
 * invocation that Config keeps refusing to about half a minute per batch.
 */
export const CLIENT_MAX_ATTEMPTS = 3;

/**
 * How long one HTTP attempt may take. The SDK sets no timeout of its own: a call that is never answered would hold
 * the invocation until Lambda ends it, and then nothing says what was not delivered. With these, a hung call fails
 * as a TimeoutError, which the SDK and the runtime retry like any transient fault, and an invocation that still
 * cannot deliver fails saying how much it could not. Five seconds is ample for any single call the pack makes (one
 * page, one batch of 100) and bounds a PutEvaluations batch that never gets an answer (3 SDK × 4 runtime attempts)
 * to about a minute, inside even a change-triggered rule's two-minute Lambda timeout.
 */
export const CLIENT_CONNECTION_TIMEOUT_MS = 3_000;
export const CLIENT_REQUEST_TIMEOUT_MS = 5_000;

export function clientSettings(region?: string, credentials?: ClientSettings['credentials']): ClientSettings {
  return {
    retryMode: 'adaptive',
    maxAttempts: CLIENT_MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CLIENT_CONNECTION_TIMEOUT_MS,
      requestTimeout: CLIENT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...(region === undefined ? {} : { region }),
    ...(credentials === undefined ? {} : { credentials }),
  };
}

export const createConfigClient = (settings: ClientSettings): ConfigServiceClient =>
  new ConfigServiceClient(settings);
export const createStsClient = (settings: ClientSettings): STSClient => new STSClient(settings);

export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  return 'aws';
}

/** `arn:<partition>:<service>:<region>:<account>:…` → its parts, or undefined for anything else. */
export function parseArn(
  arn: string | undefined,
): { partition: string; region: string; accountId: string } | undefined {
  const parts = arn?.split(':');
  if (parts?.length === undefined || parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', , region = '', accountId = ''] = parts;
  return partition === '' || region === '' ? undefined : { partition, region, accountId };
}

/**
 * Assumes `arn:<partition>:iam::<account>:role/<name>` in the evaluated account. Never the event's
 * executionRoleArn: that is often Config's service-linked role, which a Lambda cannot assume.
 */
export async function assumeExecutionRole(
  sts: STSClient,
  target: { partition: string; accountId: string; roleName: string; sessionName: string },
): Promise<NonNullable<ClientSettings['credentials']>> {
  const roleArn = `arn:${target.partition}:iam::${target.accountId}:role/${target.roleName}`;
  let response;
  try {
    response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: target.sessionName.slice(0, 64),
        DurationSeconds: 900,
      }),
    );
  } catch (cause) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    throw new Error(`Could not assume the execution role ${roleArn}: ${reason}`, { cause });
  }
  const credentials = response.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new Error(`Assuming ${roleArn} returned no credentials`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
    ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
  };
}
