/** Hook requests shaped as the CloudFormation Hooks User Guide documents them, and a handler for tests. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHookHandler, readHookSettings, type HookRuntime } from '../../hook/runtime';
import type { HookResponse } from '../../hook/response';

export const HOOK_SAMPLES = join(__dirname, '..', '..', 'samples', 'hook-events');
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/partner-platform/2d2f9e70-9c1a-11ef-9a4b-0affd1c2b3e5`;
/** Exceptions are judged on this day. */
export const TODAY = new Date('2026-10-04T09:30:00Z');

export type HookPoint = 'CREATE_PRE_PROVISION' | 'UPDATE_PRE_PROVISION' | 'DELETE_PRE_PROVISION';

export interface HookRequestShape {
  clientRequestToken: string;
  awsAccountId: string;
  stackId: string;
  changeSetId: null;
  hookTypeName: string;
  hookTypeVersion: string;
  hookModel: { LambdaFunction: string };
  actionInvocationPoint: HookPoint;
  requestData: {
    targetName: string;
    targetType: string;
    targetLogicalId: string;
    targetModel: {
      resourceProperties: Record<string, unknown>;
      previousResourceProperties: Record<string, unknown> | null;
    };
  };
  requestContext: { invocation: number; callbackContext: Record<string, unknown> | null };
}

export function hookRequest(
  type: string,
  logicalId: string,
  properties: Record<string, unknown>,
  options: {
    point?: HookPoint;
    previous?: Record<string, unknown>;
    invocation?: number;
    callbackContext?: Record<string, unknown>;
  } = {},
): HookRequestShape {
  return {
    clientRequestToken: 'f0e1d2c3-b4a5-4697-8877-665544332211',
    awsAccountId: ACCOUNT,
    stackId: STACK_ID,
    changeSetId: null,
    hookTypeName: 'AuthnPack::Hooks::Authentication',
    hookTypeVersion: '00000001',
    hookModel: { LambdaFunction: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:authn-pack-hook` },
    actionInvocationPoint: options.point ?? 'CREATE_PRE_PROVISION',
    requestData: {
      targetName: type,
      targetType: type,
      targetLogicalId: logicalId,
      targetModel: {
        resourceProperties: properties,
        previousResourceProperties: options.previous ?? null,
      },
    },
    requestContext: { invocation: options.invocation ?? 1, callbackContext: options.callbackContext ?? null },
  };
}

/** The requests in samples/hook-events, by file name. */
export function hookSamples(): Map<string, HookRequestShape> {
  return new Map(
    readdirSync(HOOK_SAMPLES)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [file, JSON.parse(readFileSync(join(HOOK_SAMPLES, file), 'utf8')) as HookRequestShape]),
  );
}

/** The real handler with the test's day, its environment settings and no live reads unless given. */
export function testHookHandler(
  overrides: Partial<HookRuntime> & { env?: Record<string, string> } = {},
): (event: unknown, context?: { getRemainingTimeInMillis?: () => number }) => Promise<HookResponse> {
  const { env, ...runtime } = overrides;
  return createHookHandler({
    now: () => TODAY,
    settings: () => readHookSettings(env ?? {}),
    credentialsFor: () => Promise.resolve(undefined),
    region: REGION,
    ...runtime,
  });
}
