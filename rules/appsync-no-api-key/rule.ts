/**
 * AppSync.5: no GraphQL API accepts API keys.
 *
 * Judged on the authentication modes alone, primary and additional, for GRAPHQL and MERGED APIs: deleting API keys
 * does not change which modes an API accepts, so it does not clear the finding.
 */
import { AppSyncClient } from '@aws-sdk/client-appsync';
import { field, list, text } from '../core/facts';
import { choiceListParameter } from '../core/parameters';
import type { ConfigurationItem, RemediationTarget, RuleDefinition, Verdict } from '../core/types';
import { sweepGraphqlApis } from './sweep';
import { graphqlApiTemplate } from './template';

export const APPSYNC_AUTH_TYPES = [
  'API_KEY',
  'AWS_LAMBDA',
  'AWS_IAM',
  'OPENID_CONNECT',
  'AMAZON_COGNITO_USER_POOLS',
] as const;
export type AppSyncAuthType = (typeof APPSYNC_AUTH_TYPES)[number];

export interface GraphqlApiFacts {
  readonly apiId: string | undefined;
  readonly name: string;
  /** Primary mode; undefined when it could not be read. */
  readonly authenticationType: string | undefined;
  /** Additional modes; an entry is undefined when that provider names no type. */
  readonly additionalAuthenticationTypes: readonly (string | undefined)[];
  readonly region: string | undefined;
}

const parameters = {
  AllowedAuthorizationTypes: choiceListParameter(
    "Authentication modes an API may use, comma-separated (Security Hub's value by default: API_KEY is not among them).",
    APPSYNC_AUTH_TYPES,
    ['AWS_LAMBDA', 'AWS_IAM', 'OPENID_CONNECT', 'AMAZON_COGNITO_USER_POOLS'],
  ),
};

export function evaluateGraphqlApi(
  facts: GraphqlApiFacts,
  params: { readonly AllowedAuthorizationTypes: readonly string[] },
): Verdict {
  const api = `GraphQL API "${facts.name}"`;
  if (facts.authenticationType === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${api} has no readable primary authentication type; authentication not verified. Set an authenticated mode (Cognito, IAM, OIDC or Lambda).`,
    };
  }
  if (facts.additionalAuthenticationTypes.some((type) => type === undefined)) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${api} has an additional authentication provider without a readable type; authentication not verified. Inspect it with get-graphql-api.`,
    };
  }
  const modes = [facts.authenticationType, ...(facts.additionalAuthenticationTypes as string[])];
  const allowed = new Set(params.AllowedAuthorizationTypes);
  const disallowed = [...new Set(modes.filter((mode) => !allowed.has(mode)))];
  const strong = modes.filter((mode) => allowed.has(mode));
  if (disallowed.length === 0) {
    return {
      compliance: 'COMPLIANT',
      annotation: `${api} authenticates callers with ${[...new Set(modes)].join(', ')}.`,
    };
  }
  if (disallowed.includes('API_KEY')) {
    const others = disallowed.filter((mode) => mode !== 'API_KEY');
    const alsoBad =
      others.length > 0 ? ` It also uses ${others.join(', ')}, outside AllowedAuthorizationTypes.` : '';
    if (strong.length > 0) {
      return {
        compliance: 'NON_COMPLIANT',
        annotation: `${api} accepts API keys beside ${[...new Set(strong)].join(', ')}. The strong mode is already there: move clients to it, then remove API_KEY (deleting keys alone does not clear this).${alsoBad}`,
      };
    }
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${api} relies on API keys only. Add an authenticated mode (Cognito, IAM, OIDC or Lambda) first, move clients, then remove API_KEY.${alsoBad}`,
    };
  }
  return {
    compliance: 'NON_COMPLIANT',
    annotation: `${api} uses ${disallowed.join(', ')}, outside AllowedAuthorizationTypes (${params.AllowedAuthorizationTypes.join(', ')}). Switch to an allowed mode.`,
  };
}

/**
 * The types of the additional providers. Absent (or null) means none; any other value that is not a list cannot be
 * read, and stands for one provider of unknown type so the API fails closed.
 */
export function additionalTypes(value: unknown): (string | undefined)[] {
  if (value === undefined || value === null) return [];
  const providers = list(value);
  if (providers === undefined) return [undefined];
  return providers.map((provider) => text(field(provider, 'AuthenticationType')));
}

/** Config CI (PascalCase) → facts. */
export function graphqlApiFromConfigurationItem(item: ConfigurationItem): GraphqlApiFacts {
  const configuration = item.configuration;
  return {
    apiId: text(field(configuration, 'ApiId')),
    name: text(field(configuration, 'Name')) ?? item.resourceName ?? item.resourceId,
    authenticationType: text(field(configuration, 'AuthenticationType')),
    additionalAuthenticationTypes: additionalTypes(field(configuration, 'AdditionalAuthenticationProviders')),
    region: item.awsRegion,
  };
}

export function graphqlApiRemediation(facts: GraphqlApiFacts): string {
  const api = facts.apiId ?? '<api-id>';
  const region = facts.region === undefined ? '' : ` --region ${facts.region}`;
  return (
    `aws appsync get-graphql-api --api-id ${api}${region}  # read first: update-graphql-api replaces the auth settings; then ` +
    `aws appsync update-graphql-api --api-id ${api}${region} --name "${facts.name}" --authentication-type AMAZON_COGNITO_USER_POOLS ` +
    `--user-pool-config userPoolId=<pool-id>,awsRegion=<region>,defaultAction=ALLOW --additional-authentication-providers '[{"authenticationType":"AWS_IAM"}]'`
  );
}

/** The fix from the API's ARN (`arn:...:apis/<apiId>`) or its API id alone; the name is a placeholder. */
export function graphqlApiRemediationHint(target: RemediationTarget): string {
  const apiId = /(?:^|:)apis\/([^/]+)$/.exec(target.resourceId)?.[1] ?? target.resourceId;
  return graphqlApiRemediation({
    apiId,
    name: '<api-name>',
    authenticationType: undefined,
    additionalAuthenticationTypes: [],
    region: target.region,
  });
}

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
};
