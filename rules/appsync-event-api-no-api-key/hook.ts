/**
 * What the deploy-time hook reads live for a channel namespace: a hook request carries the namespace's resolved
 * properties only, and a namespace without its own publish or subscribe modes inherits its Event API's defaults, so
 * the API (its `eventConfig` and exception tags) comes from GetApi. The hook then judges the API as it stands with
 * this namespace on it, as the template check judges an API with its namespaces: a key the namespace lets in, by its
 * own modes or by the defaults it inherits, fails it. An `AWS::AppSync::Api` request is judged on its properties.
 *
 * The namespace's `ApiId` is a `GetAtt` to its API, so CloudFormation creates the API first and the hook sees its id.
 */
import type { Api, AppSyncClient, AuthMode, EventConfig } from '@aws-sdk/client-appsync';
import { describeError } from '../core/errors';
import type { TemplateResource } from '../core/template';
import type { HookLiveRead, HookLiveView } from '../core/types';

// The SDK loads on the first read, not with the registry (see rule.ts): check-template never calls AWS.
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-appsync') =>
  require('@aws-sdk/client-appsync') as typeof import('@aws-sdk/client-appsync');
/* eslint-enable @typescript-eslint/no-require-imports */

const NAMESPACE_TYPE = 'AWS::AppSync::ChannelNamespace';

const templateModes = (modes: readonly AuthMode[] | undefined): unknown =>
  modes?.map((mode) => ({ AuthType: mode.authType }));

/** The API's event configuration in CloudFormation's spelling, so the template adapter reads it unchanged. */
function templateEventConfig(config: EventConfig | undefined): unknown {
  if (config === undefined) return undefined;
  return {
    ConnectionAuthModes: templateModes(config.connectionAuthModes),
    DefaultPublishAuthModes: templateModes(config.defaultPublishAuthModes),
    DefaultSubscribeAuthModes: templateModes(config.defaultSubscribeAuthModes),
  };
}

/** The Event API as the adapter reads an `AWS::AppSync::Api`, named by its id. */
export function apiResource(api: Api, apiId: string): TemplateResource {
  return {
    logicalId: apiId,
    type: 'AWS::AppSync::Api',
    properties: {
      Name: api.name ?? apiId,
      EventConfig: templateEventConfig(api.eventConfig),
      Tags: api.tags ?? {},
    },
  };
}

export async function readNamespaceApi(
  target: TemplateResource,
  client: AppSyncClient,
  signal: AbortSignal,
): Promise<HookLiveView> {
  const apiId = target.properties.ApiId;
  if (typeof apiId !== 'string' || apiId.trim() === '') {
    throw new Error("ApiId is not an API id, so the namespace's Event API cannot be read");
  }
  let api: Api | undefined;
  try {
    api = (await client.send(new (sdk().GetApiCommand)({ apiId }), { abortSignal: signal })).api;
  } catch (error) {
    if (!(error instanceof Error && error.name === 'NotFoundException'))
      throw new Error(`Event API ${apiId} could not be read (GetApi): ${describeError(error)}`, {
        cause: error,
      });
  }
  if (api === undefined) {
    return { kind: 'pending', reason: `the namespace's Event API ${apiId} was not found (GetApi)` };
  }
  // The API is what is judged, with this namespace on it (its ApiId now points at the API read).
  return {
    kind: 'read',
    target: apiResource(api, apiId),
    related: [{ ...target, properties: { ...target.properties, ApiId: { 'Fn::GetAtt': [apiId, 'ApiId'] } } }],
  };
}

export const namespaceLiveRead: HookLiveRead<AppSyncClient> = {
  resourceTypes: [NAMESPACE_TYPE],
  // GetApi (GET /v2/apis/{apiId}): deploy/hook-iam.ts scopes it to the account's apis/*.
  iamActions: ['appsync:GetApi'],
  read: readNamespaceApi,
};
