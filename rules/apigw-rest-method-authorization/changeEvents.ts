/**
 * The API Gateway REST (v1) management calls that can change a method's verdict, and which REST API each changed.
 *
 * EventBridge delivers them with `source` aws.apigateway and CloudTrail `eventSource` apigateway.amazonaws.com, the
 * same as the HTTP/WebSocket (v2) calls (EventBridge event reference, "Amazon API Gateway events"). CloudTrail
 * records a call's path parameters in `requestParameters` under their API model names (API Gateway developer guide,
 * "Logging API Gateway API calls with AWS CloudTrail": `restApiId`, `resourceId`, `httpMethod`, and `resourceArn`
 * for the tagging calls) and the output in `responseElements`, where a new REST API's `id` is.
 *
 * The decision reads a method's authorization type and API-key flag, its path, its API's name, endpoint types and
 * tags (exceptions). So: the method calls, the resource calls that move or remove paths, the API calls, and the
 * API's tags. Authorizer calls change none of these (a method names an authorizer only by id, and API Gateway refuses
 * to delete one a method uses); CreateResource makes a path without methods; deployments do not change the methods
 * the sweep reads. The v2 rule shares TagResource/UntagResource: each rule keeps only the ARNs of its own APIs.
 */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { textField, type ChangeEvents, type ChangeMapping, type CloudTrailCall } from '../core/change-events';
import type { MethodFacts } from './facts';
// The re-read (and with it the SDK) and the clients module load on first use, as in rule.ts: the registry loads this
// file, and `check-template`, `--help` and the CDK plugin call no AWS API.
/* eslint-disable @typescript-eslint/no-require-imports */
const rereads = (): typeof import('./reread') => require('./reread') as typeof import('./reread');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
const clients = (): typeof import('../core/clients') =>
  require('../core/clients') as typeof import('../core/clients');
/* eslint-enable @typescript-eslint/no-require-imports */

export const METHOD_EVENT_NAMES = [
  'PutMethod',
  'UpdateMethod',
  'DeleteMethod',
  'UpdateResource',
  'DeleteResource',
  'CreateRestApi',
  'ImportRestApi',
  'PutRestApi',
  'UpdateRestApi',
  'DeleteRestApi',
  'TagResource',
  'UntagResource',
] as const;

/** `arn:aws:apigateway:eu-west-1::/restapis/x9y8z7w6v5` → `x9y8z7w6v5`; a stage, an HTTP API, a domain → undefined. */
export function restApiIdOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:apigateway:[^:]*::\/restapis\/([^/]+)$/.exec(arn)?.[1];
}

function restApiIdOf(call: CloudTrailCall): string | undefined {
  // CreateRestApi and ImportRestApi name the new API only in their output (the RestApi's `id`).
  return textField(call.requestParameters, 'restApiId') ?? textField(call.responseElements, 'id');
}

const unknown = (call: CloudTrailCall, what: string): ChangeMapping => ({
  kind: 'unknown',
  reason: `${call.eventName} without ${what} in its CloudTrail record`,
});

export function methodChangedKeys(call: CloudTrailCall): ChangeMapping {
  switch (call.eventName) {
    case 'TagResource':
    case 'UntagResource': {
      // Exception tags live on the REST API; tags on a stage, an HTTP API or anything else change no method verdict.
      const arn = textField(call.requestParameters, 'resourceArn');
      if (arn === undefined) return unknown(call, 'resourceArn');
      const apiId = restApiIdOfArn(arn);
      return apiId === undefined
        ? { kind: 'unrelated', reason: `tags of ${arn}, not of a REST API` }
        : { kind: 'changed', keys: [{ key: apiId }] };
    }
    case 'DeleteMethod': {
      const apiId = restApiIdOf(call);
      if (apiId === undefined) return unknown(call, 'restApiId');
      const resourceId = textField(call.requestParameters, 'resourceId');
      const httpMethod = textField(call.requestParameters, 'httpMethod');
      if (resourceId === undefined || httpMethod === undefined) {
        return { kind: 'changed', keys: [{ key: apiId, removesUnnamed: true }] };
      }
      const context = { partition: clients().partitionOfRegion(call.region), region: call.region };
      return {
        kind: 'changed',
        keys: [{ key: apiId, removedIds: [sweeps().methodArn(context, { apiId, resourceId, httpMethod })] }],
      };
    }
    case 'DeleteResource':
    case 'PutRestApi':
    case 'DeleteRestApi': {
      // A deleted resource takes its child resources' methods with it; PutRestApi (mode overwrite) replaces the
      // whole definition: methods go that no call names.
      const apiId = restApiIdOf(call);
      return apiId === undefined
        ? unknown(call, 'restApiId')
        : { kind: 'changed', keys: [{ key: apiId, removesUnnamed: true }] };
    }
    default: {
      const apiId = restApiIdOf(call);
      return apiId === undefined ? unknown(call, 'restApiId') : { kind: 'changed', keys: [{ key: apiId }] };
    }
  }
}

export const methodChangeEvents: ChangeEvents<APIGatewayClient, MethodFacts> = {
  source: 'aws.apigateway',
  eventSource: 'apigateway.amazonaws.com',
  eventNames: METHOD_EVENT_NAMES,
  changedKeys: methodChangedKeys,
  reread: (client, keys, context) => rereads().rereadRestApis(client, keys, context),
};
