/**
 * `AWS::Serverless::GraphQLApi` → `AWS::AppSync::GraphQLApi` with `Auth.Type` and `Auth.Additional`
 * (aws-sam-translator 1.110; see rules/core/sam.ts).
 */
import type { SamExpansion } from '../core/sam';
import type { TemplateResource } from '../core/template';
import { fail, isRecord, samSource, type Json } from '../core/sam/shared';

/** The GraphQL API SAM makes of a GraphQLApi. */
function graphQlApiResource(resource: TemplateResource, properties: Json): TemplateResource {
  const line = resource.line;
  const auth = isRecord(properties.Auth) ? properties.Auth : undefined;
  if (auth === undefined) fail(resource.logicalId, 'Auth is a required property.');
  const additional = Array.isArray(auth.Additional) ? auth.Additional : [];
  const tags = { ...(isRecord(properties.Tags) ? properties.Tags : {}), 'graphqlapi:createdBy': 'SAM' };
  return {
    logicalId: resource.logicalId,
    type: 'AWS::AppSync::GraphQLApi',
    properties: {
      Name: properties.Name ?? resource.logicalId,
      AuthenticationType: auth.Type,
      ...(additional.length === 0
        ? {}
        : {
            AdditionalAuthenticationProviders: additional.map((provider: unknown) => ({
              AuthenticationType: isRecord(provider) ? provider.Type : undefined,
            })),
          }),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    },
    ...(line === undefined ? {} : { line }),
    sam: samSource('AWS::Serverless::GraphQLApi', resource.logicalId),
  };
}

export const samGraphQlApi: SamExpansion = {
  samType: 'AWS::Serverless::GraphQLApi',
  start: () => ({ expand: (resource) => [graphQlApiResource(resource, resource.properties)] }),
};
