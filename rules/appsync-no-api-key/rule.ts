/**
 * AppSync.5: no GraphQL API accepts API keys.
 *
 * Judged on the authentication modes alone, primary and additional, for GRAPHQL and MERGED APIs: deleting API keys
 * does not change which modes an API accepts, so it does not clear the finding.
 */
import type { AppSyncClient } from '@aws-sdk/client-appsync';
import { choiceListParameter } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { graphqlApiFromConfigurationItem } from './config-item';
import {
  evaluateGraphqlApi,
  GRAPHQL_API_CODES,
  graphqlApiRemediation,
  graphqlApiRemediationHint,
} from './decision';
import { APPSYNC_AUTH_TYPES, type GraphqlApiFacts } from './facts';
import { graphqlApiTemplate } from './template';
import { graphqlApiTerraform } from './terraform';

const parameters = {
  AllowedAuthorizationTypes: choiceListParameter(
    "Authentication modes an API may use, comma-separated (Security Hub's value by default: API_KEY is not among them).",
    APPSYNC_AUTH_TYPES,
    ['AWS_LAMBDA', 'AWS_IAM', 'OPENID_CONNECT', 'AMAZON_COGNITO_USER_POOLS'],
  ),
};

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-appsync') =>
  require('@aws-sdk/client-appsync') as typeof import('@aws-sdk/client-appsync');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

export const appsyncNoApiKey: RuleDefinition<GraphqlApiFacts, AppSyncClient, typeof parameters> = {
  control: 'AppSync.5',
  ruleName: 'authn-appsync-no-api-key',
  title: 'AppSync GraphQL APIs do not accept API keys',
  description:
    'The primary and every additional authentication mode of a GraphQL or merged API is in AllowedAuthorizationTypes (no API_KEY by default).',
  resourceType: 'AWS::AppSync::GraphQLApi',
  trigger: { kind: 'change' },
  parameters,
  service: {
    name: 'appsync',
    sdkPackage: '@aws-sdk/client-appsync',
    createClient: (settings) => new (sdk().AppSyncClient)(settings),
    iamActions: ['appsync:ListGraphqlApis'],
  },
  evaluate: evaluateGraphqlApi,
  codes: GRAPHQL_API_CODES,
  remediation: graphqlApiRemediation,
  remediationHint: graphqlApiRemediationHint,
  fromConfigurationItem: graphqlApiFromConfigurationItem,
  sweep: (client, context) => sweeps().sweepGraphqlApis(client, context),
  template: graphqlApiTemplate,
  terraform: graphqlApiTerraform,
};
