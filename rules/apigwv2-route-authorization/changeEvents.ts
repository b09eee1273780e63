/**
 * The API Gateway v2 management calls that can change a route's verdict, and which API each one changed.
 *
 * EventBridge delivers them with `source` aws.apigateway and CloudTrail `eventSource` apigateway.amazonaws.com (the
 * EventBridge event reference, "Amazon API Gateway events"; v1 and v2 share both). CloudTrail records a call's
 * path parameters in `requestParameters` under their API model names (`apiId`, `routeId`, `resourceArn`) and the
 * output in `responseElements` (seen in published trails of real HTTP API calls: `UpdateRoute`, `CreateStage` and
 * `CreateIntegration` records with eventSource apigateway.amazonaws.com and `apiId`, `routeId` in requestParameters;
 * the shape is in test/fixtures/events/cloudtrail-apigatewayv2.json). That a new API's `apiId` is in the response of
 * `CreateApi`/`ImportApi` follows the API model and was not seen in a record. A call whose API cannot be read is
 * `unknown`: the next run sweeps everything rather than miss it.
 */
import { textField, type ChangeEvents, type ChangeMapping, type CloudTrailCall } from '../core/change-events';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { RouteFacts } from './facts';
// The sweep and the clients module (and with them the SDK) load on first use, as in rule.ts: the registry loads this
// file, and `check-template`, `--help` and the CDK plugin call no AWS API.
/* eslint-disable @typescript-eslint/no-require-imports */
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
const clients = (): typeof import('../core/clients') =>
  require('../core/clients') as typeof import('../core/clients');
/* eslint-enable @typescript-eslint/no-require-imports */

export const ROUTE_EVENT_NAMES = [
  'CreateRoute',
  'UpdateRoute',
  'DeleteRoute',
  'CreateApi',
  'UpdateApi',
  'DeleteApi',
  'ImportApi',
  'ReimportApi',
  'TagResource',
  'UntagResource',
] as const;

/** `arn:aws:apigateway:eu-west-1::/apis/a1b2c3d4e5` → `a1b2c3d4e5`; a stage, a domain name or a REST API → undefined. */
export function apiIdOfArn(arn: string): string | undefined {
  return /^arn:[^:]+:apigateway:[^:]*::\/apis\/([^/]+)$/.exec(arn)?.[1];
}

function apiIdOf(call: CloudTrailCall): string | undefined {
  return textField(call.requestParameters, 'apiId') ?? textField(call.responseElements, 'apiId');
}

const unknown = (call: CloudTrailCall, what: string): ChangeMapping => ({
  kind: 'unknown',
  reason: `${call.eventName} without ${what} in its CloudTrail record`,
});

export function routeChangedKeys(call: CloudTrailCall): ChangeMapping {
  switch (call.eventName) {
    case 'TagResource':
    case 'UntagResource': {
      // Exception tags live on the API; tags on anything else (a stage, a REST API) change no route verdict.
      const arn = textField(call.requestParameters, 'resourceArn');
      if (arn === undefined) return unknown(call, 'resourceArn');
      const apiId = apiIdOfArn(arn);
      return apiId === undefined
        ? { kind: 'unrelated', reason: `tags of ${arn}, not of an HTTP or WebSocket API` }
        : { kind: 'changed', keys: [{ key: apiId }] };
    }
    case 'DeleteRoute': {
      const apiId = apiIdOf(call);
      if (apiId === undefined) return unknown(call, 'apiId');
      const routeId = textField(call.requestParameters, 'routeId');
      const context = { partition: clients().partitionOfRegion(call.region), region: call.region };
      return {
        kind: 'changed',
        keys: [
          routeId === undefined
            ? { key: apiId, removesUnnamed: true }
            : { key: apiId, removedIds: [sweeps().routeArn(context, apiId, routeId)] },
        ],
      };
    }
    case 'DeleteApi':
    case 'ReimportApi': {
      // Both can take routes away without naming them (a reimport replaces the whole definition).
      const apiId = apiIdOf(call);
      return apiId === undefined
        ? unknown(call, 'apiId')
        : { kind: 'changed', keys: [{ key: apiId, removesUnnamed: true }] };
    }
    default: {
      const apiId = apiIdOf(call);
      return apiId === undefined ? unknown(call, 'apiId') : { kind: 'changed', keys: [{ key: apiId }] };
    }
  }
}

export const routeChangeEvents: ChangeEvents<ApiGatewayV2Client, RouteFacts> = {
  source: 'aws.apigateway',
  eventSource: 'apigateway.amazonaws.com',
  eventNames: ROUTE_EVENT_NAMES,
  changedKeys: routeChangedKeys,
  reread: (client, keys, context) => sweeps().rereadApis(client, keys, context),
};
