/** Terraform → GraphQL API facts (`aws_appsync_graphql_api`, GRAPHQL and MERGED alike). */
import type { TemplateEvaluation } from '../core/template';
import type { PlanResource, PlanView } from '../core/terraform';
import type { TerraformAdapter } from '../core/types';
import type { GraphqlApiFacts } from './facts';

function read(resource: PlanResource, plan: PlanView): TemplateEvaluation<GraphqlApiFacts>[] {
  const base = plan.subject(resource);
  const name = plan.text(resource, 'name');
  const primary = plan.text(resource, 'authentication_type');
  if (!primary.known)
    return [{ ...base, unverifiable: { property: primary.property, reason: primary.reason } }];
  // Only the types are read: a provider's own settings (a user pool's region, computed at apply) do not matter here.
  const providers = plan.count(resource, 'additional_authentication_provider');
  if (!providers.known)
    return [{ ...base, unverifiable: { property: providers.property, reason: providers.reason } }];
  const additionalAuthenticationTypes: (string | undefined)[] = [];
  for (let index = 0; index < providers.count; index += 1) {
    const type = plan.text(resource, 'additional_authentication_provider', index, 'authentication_type');
    if (!type.known) return [{ ...base, unverifiable: { property: type.property, reason: type.reason } }];
    additionalAuthenticationTypes.push(type.value === '' ? undefined : type.value);
  }
  const id = plan.text(resource, 'id');
  return [
    {
      ...base,
      facts: {
        apiId: id.known ? id.value : undefined,
        name: name.known && name.value !== undefined ? name.value : resource.address,
        authenticationType: primary.value === '' ? undefined : primary.value,
        additionalAuthenticationTypes,
        region: undefined,
      },
    },
  ];
}

export const graphqlApiTerraform: TerraformAdapter<GraphqlApiFacts> = {
  resourceTypes: ['aws_appsync_graphql_api'],
  read,
  fix: (facts) =>
    facts.additionalAuthenticationTypes.length > 0 || facts.authenticationType !== 'API_KEY'
      ? 'remove API_KEY from authentication_type and the additional_authentication_provider blocks (after clients have moved to the authenticated mode)'
      : 'set authentication_type = "AMAZON_COGNITO_USER_POOLS", "AWS_IAM", "OPENID_CONNECT" or "AWS_LAMBDA" (add it as an additional_authentication_provider first while clients move)',
};
