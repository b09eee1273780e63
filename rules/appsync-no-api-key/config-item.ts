/** Config configuration item (AWS::AppSync::GraphQLApi, PascalCase) → GraphQL API facts. */
import { field, list, text } from '../core/facts';
import type { ConfigurationItem } from '../core/types';
import type { GraphqlApiFacts } from './facts';

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
