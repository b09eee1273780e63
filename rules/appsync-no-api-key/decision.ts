/** The GraphQL API decision and its fixes: pure, over GraphqlApiFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import type { GraphqlApiFacts } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const GRAPHQL_API_CODES = [
  'appsync-primary-mode-unreadable',
  'appsync-additional-mode-unreadable',
  'appsync-modes-allowed',
  'appsync-api-key-additional',
  'appsync-api-key-only',
  'appsync-mode-not-allowed',
] as const;
export type GraphqlApiCode = (typeof GRAPHQL_API_CODES)[number];

export function evaluateGraphqlApi(
  facts: GraphqlApiFacts,
  params: { readonly AllowedAuthorizationTypes: readonly string[] },
): Verdict<GraphqlApiCode> {
  const api = `GraphQL API "${facts.name}"`;
  if (facts.authenticationType === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'appsync-primary-mode-unreadable',
      annotation: `${api} has no readable primary authentication type; authentication not verified. Set an authenticated mode (Cognito, IAM, OIDC or Lambda).`,
    };
  }
  if (facts.additionalAuthenticationTypes.some((type) => type === undefined)) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'appsync-additional-mode-unreadable',
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
      code: 'appsync-modes-allowed',
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
        code: 'appsync-api-key-additional',
        annotation: `${api} accepts API keys beside ${[...new Set(strong)].join(', ')}. The strong mode is already there: move clients to it, then remove API_KEY (deleting keys alone does not clear this).${alsoBad}`,
      };
    }
    return {
      compliance: 'NON_COMPLIANT',
      code: 'appsync-api-key-only',
      annotation: `${api} relies on API keys only. Add an authenticated mode (Cognito, IAM, OIDC or Lambda) first, move clients, then remove API_KEY.${alsoBad}`,
    };
  }
  return {
    compliance: 'NON_COMPLIANT',
    code: 'appsync-mode-not-allowed',
    annotation: `${api} uses ${disallowed.join(', ')}, outside AllowedAuthorizationTypes (${params.AllowedAuthorizationTypes.join(', ')}). Switch to an allowed mode.`,
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
