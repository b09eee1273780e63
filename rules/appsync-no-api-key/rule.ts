/**
 * AppSync.5: no GraphQL API accepts API keys.
 *
 * Judged on the authentication modes alone, primary and additional, for GRAPHQL and MERGED APIs: deleting API keys
 * does not change which modes an API accepts, so it does not clear the finding.
 */
import { AppSyncClient } from '@aws-sdk/client-appsync';
import { choiceListParameter } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { graphqlApiFromConfigurationItem } from './config-item';
import { evaluateGraphqlApi, graphqlApiRemediation, graphqlApiRemediationHint } from './decision';
import { APPSYNC_AUTH_TYPES, type GraphqlApiFacts } from './facts';
import { sweepGraphqlApis } from './sweep';
import { graphqlApiTemplate } from './template';
import { graphqlApiTerraform } from './terraform';

const parameters = {
  AllowedAuthorizationTypes: choiceListParameter(
    "Authentication modes an API may use, comma-separated (Security Hub's value by default: API_KEY is not among them).",
    APPSYNC_AUTH_TYPES,
    ['AWS_LAMBDA', 'AWS_IAM', 'OPENID_CONNECT', 'AMAZON_COGNITO_USER_POOLS'],
  ),
};

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
    createClient: (settings) => new AppSyncClient(settings),
    iamActions: ['appsync:ListGraphqlApis'],
  },
  evaluate: evaluateGraphqlApi,
  remediation: graphqlApiRemediation,
  remediationHint: graphqlApiRemediationHint,
  fromConfigurationItem: graphqlApiFromConfigurationItem,
  sweep: sweepGraphqlApis,
  template: graphqlApiTemplate,
  terraform: graphqlApiTerraform,
};
