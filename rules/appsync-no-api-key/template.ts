/** CloudFormation → GraphQL API facts (`AWS::AppSync::GraphQLApi`). */
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import type { GraphqlApiFacts } from './facts';
import { samGraphQlApi } from './sam-graphql-api';

function read(resource: TemplateResource, view: TemplateView): TemplateEvaluation<GraphqlApiFacts>[] {
  const base = view.subject(resource, 'Name');
  const resourceName = base.resourceName;
  const primary = view.text(resource.properties.AuthenticationType, 'AuthenticationType');
  if (!primary.known)
    return [{ ...base, unverifiable: { property: primary.property, reason: primary.reason } }];
  // Only the types are read: a provider's own settings (a Lambda authorizer's `!GetAtt`) do not matter here.
  const additional = view.locate(resource.properties.AdditionalAuthenticationProviders);
  if (!additional.known) {
    return [
      {
        ...base,
        unverifiable: {
          property: 'AdditionalAuthenticationProviders',
          reason: `AdditionalAuthenticationProviders is not known before deploy (${additional.reason})`,
        },
      },
    ];
  }
  const listed = additional.value;
  // Absent means none; anything else that is not a list cannot be read, and counts as a provider of unknown type.
  const providers =
    listed === undefined || listed === null ? [] : Array.isArray(listed) ? listed : [undefined];
  const additionalAuthenticationTypes: (string | undefined)[] = [];
  for (const [index, provider] of providers.entries()) {
    const type = view.textAt(
      provider,
      ['AuthenticationType'],
      `AdditionalAuthenticationProviders[${index}].AuthenticationType`,
    );
    if (!type.known) return [{ ...base, unverifiable: { property: type.property, reason: type.reason } }];
    additionalAuthenticationTypes.push(type.value === '' ? undefined : type.value);
  }
  const facts: GraphqlApiFacts = {
    apiId: undefined,
    name: resourceName,
    authenticationType: primary.value,
    additionalAuthenticationTypes,
    region: undefined,
  };
  return [{ ...base, ...(resource.sam === undefined ? {} : samFix(resource, view, facts)), facts }];
}

/**
 * An AWS::Serverless::GraphQLApi is fixed in its `Auth` (AWS SAM Developer Guide, GraphQLApi Auth: `Type` and the
 * `Additional` list of AuthProvider `Type`s), which the transform writes as AuthenticationType and
 * AdditionalAuthenticationProviders.
 */
function samFix(
  resource: TemplateResource,
  view: TemplateView,
  facts: GraphqlApiFacts,
): { fix: string; property: string; line?: number } {
  const primaryKey = facts.authenticationType === 'API_KEY';
  const property = primaryKey ? 'Auth.Type' : 'Auth.Additional';
  const line =
    view.lineAt(resource.logicalId, 'Properties', 'Auth', primaryKey ? 'Type' : 'Additional') ??
    resource.line;
  const fix =
    facts.additionalAuthenticationTypes.length > 0 || !primaryKey
      ? 'remove API_KEY from Auth.Type and every Type of Auth.Additional (after clients have moved to the authenticated mode)'
      : 'set Auth.Type to AMAZON_COGNITO_USER_POOLS, AWS_IAM, OPENID_CONNECT or AWS_LAMBDA (add it under Auth.Additional first while clients move)';
  return { fix, property, ...(line === undefined ? {} : { line }) };
}

export const graphqlApiTemplate: TemplateAdapter<GraphqlApiFacts> = {
  resourceTypes: ['AWS::AppSync::GraphQLApi'],
  sam: [samGraphQlApi],
  property: 'AuthenticationType',
  read,
  fix: (facts) =>
    facts.additionalAuthenticationTypes.length > 0 || facts.authenticationType !== 'API_KEY'
      ? 'remove API_KEY from AuthenticationType and AdditionalAuthenticationProviders (after clients have moved to the authenticated mode)'
      : 'set AuthenticationType to AMAZON_COGNITO_USER_POOLS, AWS_IAM, OPENID_CONNECT or AWS_LAMBDA (add it as an additional provider first while clients move)',
};
