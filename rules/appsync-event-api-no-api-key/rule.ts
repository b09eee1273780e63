/**
 * AUTHN-APPSYNC-EVENTS: AppSync Event APIs do not accept API keys.
 *
 * Event APIs are not GraphQL APIs: ListGraphqlApis (AppSync.5's sweep) never returns them, and AWS Config records no
 * `AWS::AppSync::Api` (its ResourceType enum holds only `GraphQLApi` and `ApiCache` for AppSync), so this is a periodic
 * rule over the AppSync API, one evaluation per Event API covering its connection and default publish/subscribe modes
 * and every channel namespace's overrides.
 */
import { AppSyncClient } from '@aws-sdk/client-appsync';
import { PERIODIC_PARAMETERS } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { evaluateEventApi, eventApiRemediation, eventApiRemediationHint } from './decision';
import type { EventApiFacts } from './facts';
import { namespaceLiveRead } from './hook';
import { sweepEventApis } from './sweep';
import { eventApiTemplate } from './template';

const parameters = { ...PERIODIC_PARAMETERS };

export const appsyncEventApiNoApiKey: RuleDefinition<EventApiFacts, AppSyncClient, typeof parameters> = {
  control: 'AUTHN-APPSYNC-EVENTS',
  ruleName: 'authn-appsync-event-api-no-api-key',
  title: 'AppSync Event APIs do not accept API keys',
  description:
    'No AppSync Event API accepts API_KEY for connecting, publishing or subscribing, by default or in any channel namespace.',
  resourceType: 'AWS::AppSync::Api',
  trigger: { kind: 'periodic', defaultFrequency: 'TwentyFour_Hours' },
  parameters,
  service: {
    name: 'appsync',
    createClient: (settings) => new AppSyncClient(settings),
    iamActions: ['appsync:ListApis', 'appsync:GetApi', 'appsync:ListChannelNamespaces'],
  },
  evaluate: evaluateEventApi,
  remediation: eventApiRemediation,
  remediationHint: eventApiRemediationHint,
  // Event API endpoints (<id>.appsync-api.<region>.amazonaws.com, and the -realtime- one) answer on the internet.
  isInternetFacing: () => true,
  template: eventApiTemplate,
  hook: namespaceLiveRead,
  sweep: sweepEventApis,
};
