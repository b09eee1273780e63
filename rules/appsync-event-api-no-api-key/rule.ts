/**
 * AUTHN-APPSYNC-EVENTS: AppSync Event APIs do not accept API keys.
 *
 * Event APIs are not GraphQL APIs: ListGraphqlApis (AppSync.5's sweep) never returns them, and AWS Config records no
 * `AWS::AppSync::Api` (its ResourceType enum holds only `GraphQLApi` and `ApiCache` for AppSync), so this is a periodic
 * rule over the AppSync API, one evaluation per Event API covering its connection and default publish/subscribe modes
 * and every channel namespace's overrides.
 */
import type { AppSyncClient } from '@aws-sdk/client-appsync';
import { PERIODIC_PARAMETERS } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { eventApiChangeEvents } from './changeEvents';
import { EVENT_API_CODES, evaluateEventApi, eventApiRemediation, eventApiRemediationHint } from './decision';
import type { EventApiFacts } from './facts';
import { namespaceLiveRead } from './hook';
import { eventApiTemplate } from './template';

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS (BENCHMARKS.md, "CLI start").
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-appsync') =>
  require('@aws-sdk/client-appsync') as typeof import('@aws-sdk/client-appsync');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

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
    sdkPackage: '@aws-sdk/client-appsync',
    createClient: (settings) => new (sdk().AppSyncClient)(settings),
    iamActions: ['appsync:ListApis', 'appsync:GetApi', 'appsync:ListChannelNamespaces'],
  },
  codes: EVENT_API_CODES,
  evaluate: evaluateEventApi,
  remediation: eventApiRemediation,
  remediationHint: eventApiRemediationHint,
  // Event API endpoints (<id>.appsync-api.<region>.amazonaws.com, and the -realtime- one) answer on the internet.
  isInternetFacing: () => true,
  template: eventApiTemplate,
  hook: namespaceLiveRead,
  sweep: (client, context) => sweeps().sweepEventApis(client, context),
  resumableSweep: (client, context) => sweeps().sweepEventApiParts(client, context),
  changes: eventApiChangeEvents,
};
