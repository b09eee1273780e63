/**
 * The request CloudFormation sends a Lambda hook for a resource operation, as the CloudFormation Hooks User Guide
 * documents it ("Create Lambda functions to evaluate resources for Lambda Hooks"):
 *
 *   { clientRequestToken, awsAccountId, stackId, changeSetId, hookTypeName, hookTypeVersion,
 *     hookModel: { LambdaFunction },
 *     actionInvocationPoint: CREATE_PRE_PROVISION | UPDATE_PRE_PROVISION | DELETE_PRE_PROVISION,
 *     requestData: { targetName, targetType, targetLogicalId,
 *                    targetModel: { resourceProperties, previousResourceProperties } },
 *     requestContext: { invocation, callbackContext } }
 *
 * `targetName` is the resource type (`AWS::<Service>::<Type>`). The properties are the resolved ones (no intrinsics), and
 * their scalar values may arrive as strings (`"true"`, `"3"`): hooks see properties as CloudFormation passes them to
 * a provider, where booleans and numbers are stringified (seen by the OPA CloudFormation hook, StyraOSS
 * opa-aws-cloudformation-hook issue 3). The adapters read both forms; anything else fails closed there.
 */

import { EXIT, PackError } from '../rules/core/errors';

export type HookAction = 'CREATE' | 'UPDATE' | 'DELETE';

const INVOCATION_POINTS: Readonly<Record<string, HookAction>> = {
  CREATE_PRE_PROVISION: 'CREATE',
  UPDATE_PRE_PROVISION: 'UPDATE',
  DELETE_PRE_PROVISION: 'DELETE',
};

/** A CloudFormation resource type name: `Organization::Service::Type` (the API's TypeName pattern). */
const TYPE_NAME = /^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$/;

/** A resource operation the hook judges. */
export interface HookRequest {
  readonly clientRequestToken?: string;
  readonly action: HookAction;
  readonly actionInvocationPoint: string;
  /** The CloudFormation resource type of the target (one of the registry's template types). */
  readonly resourceType: string;
  /** The resource's logical id in its stack (Cloud Control API requests have none). */
  readonly logicalId: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** Properties before an update; absent on create. */
  readonly previousProperties?: Readonly<Record<string, unknown>>;
  /** 1 for the first call, then counting the calls an IN_PROGRESS answer asked for. */
  readonly invocation: number;
  readonly callbackContext?: Readonly<Record<string, unknown>>;
  readonly accountId?: string;
  readonly stackId?: string;
}

/** The request is not a Lambda hook resource request this hook can read. Answered FAILED with InternalFailure. */
export class MalformedHookRequestError extends PackError {
  override readonly name = 'MalformedHookRequestError';
  readonly code = 'malformed-hook-request';
  readonly exitStatus = EXIT.failing;
  constructor(message: string) {
    super(`Malformed hook request: ${message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The token to echo back, read even from a request that is otherwise unreadable. */
export function clientRequestTokenOf(event: unknown): string | undefined {
  return isRecord(event) ? optionalText(event.clientRequestToken) : undefined;
}

/** The operation a request names, if it names one (a delete is answered before anything else is read). */
export function actionOf(event: unknown): HookAction | undefined {
  if (!isRecord(event)) return undefined;
  const point = event.actionInvocationPoint;
  return typeof point === 'string' ? INVOCATION_POINTS[point] : undefined;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function parseHookRequest(event: unknown): HookRequest {
  if (!isRecord(event)) throw new MalformedHookRequestError(`the request is ${kind(event)}, not an object`);
  const point = event.actionInvocationPoint;
  const action = typeof point === 'string' ? INVOCATION_POINTS[point] : undefined;
  if (action === undefined) {
    throw new MalformedHookRequestError(
      `actionInvocationPoint is ${typeof point === 'string' ? `"${point.slice(0, 40)}"` : 'missing'}; expected one of ${Object.keys(INVOCATION_POINTS).join(', ')}`,
    );
  }
  const data = event.requestData;
  if (!isRecord(data)) throw new MalformedHookRequestError('requestData is missing or not an object');
  const named = [data.targetName, data.targetType].find(
    (value): value is string => typeof value === 'string' && TYPE_NAME.test(value),
  );
  if (named === undefined) {
    const target = optionalText(data.targetType) ?? optionalText(data.targetName);
    throw new MalformedHookRequestError(
      target === undefined
        ? 'requestData names no resource type (targetName)'
        : `requestData targets "${target.slice(0, 40)}", not a resource type: this hook judges resource operations (TargetOperations RESOURCE and CLOUD_CONTROL)`,
    );
  }
  const model = data.targetModel;
  if (!isRecord(model))
    throw new MalformedHookRequestError('requestData.targetModel is missing or not an object');
  const properties = model.resourceProperties;
  if (action !== 'DELETE' && !isRecord(properties)) {
    throw new MalformedHookRequestError(
      `requestData.targetModel.resourceProperties is ${properties === undefined ? 'missing' : kind(properties)}; a ${action.toLowerCase()} request carries the resource's properties`,
    );
  }
  const previous = model.previousResourceProperties;
  if (previous !== undefined && previous !== null && !isRecord(previous)) {
    throw new MalformedHookRequestError(
      `requestData.targetModel.previousResourceProperties is ${kind(previous)}, not an object`,
    );
  }
  const context = isRecord(event.requestContext) ? event.requestContext : {};
  const invocation = context.invocation;
  const callbackContext = context.callbackContext;
  const token = clientRequestTokenOf(event);
  const accountId = optionalText(event.awsAccountId);
  const stackId = optionalText(event.stackId);
  return {
    ...(token === undefined ? {} : { clientRequestToken: token }),
    action,
    actionInvocationPoint: point as string,
    resourceType: named,
    logicalId: optionalText(data.targetLogicalId) ?? '(no logical id)',
    properties: isRecord(properties) ? properties : {},
    ...(isRecord(previous) ? { previousProperties: previous } : {}),
    invocation:
      typeof invocation === 'number' && Number.isInteger(invocation) && invocation > 0 ? invocation : 1,
    ...(isRecord(callbackContext) ? { callbackContext } : {}),
    ...(accountId === undefined ? {} : { accountId }),
    ...(stackId === undefined ? {} : { stackId }),
  };
}
