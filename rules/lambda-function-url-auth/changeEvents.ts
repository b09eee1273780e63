/**
 * The Lambda management calls that can change a function URL's verdict, and which function each changed.
 *
 * EventBridge delivers them with `source` aws.lambda and CloudTrail `eventSource` lambda.amazonaws.com (EventBridge
 * event reference, "AWS Lambda events"). CloudTrail records the request's members in lower camel case:
 * `functionName` (a name, `name:alias`, a full ARN or a partial ARN `<account>:function:<name>`, as the caller gave
 * it), `qualifier`, alias `name`, and for the tagging calls `resource`, the function's ARN.
 *
 * Event names: Lambda logged many of its calls with the API version appended (`TagResource20170331v2`,
 * `DeleteFunction20150331`); AWS announced in September 2021 that it would log the documented names instead
 * (SummitRoute/aws_breaking_changes#53 quotes the notice), yet tools written since still match the suffixed names,
 * and one for `CreateFunctionUrlConfig20211031`. Which form every account receives today could not be verified from an
 * AWS-written record, so both are matched: the exact name, and the name followed by a date (`<name>20…`, EventBridge's
 * prefix matching). `DeleteFunction20` does not match `DeleteFunctionUrlConfig` or `DeleteFunctionConcurrency`.
 *
 * The decision reads a URL's AuthType and the function's tags (exceptions). So: the URL calls, the deletes that take
 * URLs away (a function, an alias), and the function's tags. CreateAlias makes an alias without a URL; versions carry
 * no URL; AddPermission/RemovePermission change the resource policy, which the decision does not read.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { textField, type ChangeEvents, type ChangeMapping, type CloudTrailCall } from '../core/change-events';
import { parseFunctionArn } from './decision';
import type { FunctionUrlFacts } from './facts';
// The re-read (and with it the SDK) and the clients module load on first use, as in rule.ts: the registry loads this
// file, and `check-template`, `--help` and the CDK plugin call no AWS API.
/* eslint-disable @typescript-eslint/no-require-imports */
const rereads = (): typeof import('./reread') => require('./reread') as typeof import('./reread');
const clients = (): typeof import('../core/clients') =>
  require('../core/clients') as typeof import('../core/clients');
/* eslint-enable @typescript-eslint/no-require-imports */

export const FUNCTION_URL_EVENT_NAMES = [
  'CreateFunctionUrlConfig',
  'UpdateFunctionUrlConfig',
  'DeleteFunctionUrlConfig',
  'DeleteFunction',
  'DeleteAlias',
  'TagResource',
  'UntagResource',
] as const;

/** `DeleteFunction20150331` → `DeleteFunction`, `TagResource20170331v2` → `TagResource`; others unchanged. */
export function documentedEventName(eventName: string): string {
  return eventName.replace(/20\d{6}(?:v\d+)?$/, '');
}

/**
 * A `functionName` as CloudTrail records it → the function's name and the alias it names, if any. Undefined for
 * anything Lambda would not accept as a function name.
 */
export function functionOfName(
  functionName: string,
): { readonly name: string; readonly qualifier: string | undefined } | undefined {
  const match =
    /^(?:arn:[^:]+:lambda:[^:]+:\d{12}:function:|\d{12}:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(
      functionName,
    );
  if (match?.[1] === undefined) return undefined;
  return { name: match[1], qualifier: match[2] === '$LATEST' ? undefined : match[2] };
}

/** The id the rule reports a URL under (sweep.ts, urlResourceId): the function's ARN, with `:<alias>` for an alias. */
function urlId(call: CloudTrailCall, name: string, qualifier: string | undefined): string {
  const partition = clients().partitionOfRegion(call.region);
  const arn = `arn:${partition}:lambda:${call.region}:${call.account}:function:${name}`;
  return qualifier === undefined ? arn : `${arn}:${qualifier}`;
}

const unknown = (call: CloudTrailCall, what: string): ChangeMapping => ({
  kind: 'unknown',
  reason: `${call.eventName} without ${what} in its CloudTrail record`,
});

export function functionUrlChangedKeys(call: CloudTrailCall): ChangeMapping {
  const eventName = documentedEventName(call.eventName);
  if (eventName === 'TagResource' || eventName === 'UntagResource') {
    // Exception tags are read from the function; tags on an event source mapping or a code signing config are not.
    const arn = textField(call.requestParameters, 'resource');
    if (arn === undefined) return unknown(call, 'resource');
    const tagged = parseFunctionArn(arn);
    return tagged === undefined
      ? { kind: 'unrelated', reason: `tags of ${arn}, not of a function` }
      : { kind: 'changed', keys: [{ key: tagged.name }] };
  }
  const given = textField(call.requestParameters, 'functionName');
  if (given === undefined) return unknown(call, 'functionName');
  const fn = functionOfName(given);
  if (fn === undefined) return unknown(call, `a function name Lambda accepts (functionName ${given})`);
  const qualifier = textField(call.requestParameters, 'qualifier') ?? fn.qualifier;
  switch (eventName) {
    case 'DeleteFunctionUrlConfig':
      return { kind: 'changed', keys: [{ key: fn.name, removedIds: [urlId(call, fn.name, qualifier)] }] };
    case 'DeleteAlias': {
      const alias = textField(call.requestParameters, 'name');
      return alias === undefined
        ? { kind: 'changed', keys: [{ key: fn.name, removesUnnamed: true }] }
        : { kind: 'changed', keys: [{ key: fn.name, removedIds: [urlId(call, fn.name, alias)] }] };
    }
    case 'DeleteFunction':
      // Without a qualifier every URL goes, named or not; a deleted version carries none (URLs are on aliases).
      return {
        kind: 'changed',
        keys: [qualifier === undefined ? { key: fn.name, removesUnnamed: true } : { key: fn.name }],
      };
    default:
      return { kind: 'changed', keys: [{ key: fn.name }] };
  }
}

export const functionUrlChangeEvents: ChangeEvents<LambdaClient, FunctionUrlFacts> = {
  source: 'aws.lambda',
  eventSource: 'lambda.amazonaws.com',
  eventNames: FUNCTION_URL_EVENT_NAMES,
  // The date-suffixed forms (see above): `<name>20` matches `<name>20150331`, `<name>20170331v2`, and nothing else.
  eventNamePrefixes: FUNCTION_URL_EVENT_NAMES.map((name) => `${name}20`),
  changedKeys: functionUrlChangedKeys,
  reread: (client, keys, context) => rereads().rereadFunctions(client, keys, context),
};
