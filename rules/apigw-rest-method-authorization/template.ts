/**
 * CloudFormation → REST method facts. Methods are read from `AWS::ApiGateway::Method`, their API found through
 * `RestApiId` (which holds the exception tags and the endpoint type) and their path rebuilt from the
 * `AWS::ApiGateway::Resource` chain (`PathPart`, `ParentId` up to the API's `RootResourceId`). An API defined by an
 * OpenAPI body has its methods there, not as resources: they are read from it (openapi-methods.ts).
 */
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import type { MethodFacts } from './facts';
import { readOpenApiMethods } from './openapi-methods';
import { samRestApi } from './sam-rest-api';

/** Nested resources deeper than this are a cycle, not a path (API Gateway allows far fewer levels). */
const MAX_DEPTH = 64;

function isRootOf(value: unknown, view: TemplateView): boolean {
  if (typeof value !== 'object' || value === null || !('Fn::GetAtt' in value)) return false;
  const target: unknown = value['Fn::GetAtt'];
  return (
    Array.isArray(target) &&
    target[1] === 'RootResourceId' &&
    view.resource(String(target[0]))?.type === 'AWS::ApiGateway::RestApi'
  );
}

/** `/a/{id}` from the resource chain; undefined when a part is not known before deploy. */
function pathOf(value: unknown, view: TemplateView): string | undefined {
  const parts: string[] = [];
  let current = value;
  for (let depth = 0; depth < MAX_DEPTH; depth += 1) {
    if (isRootOf(current, view)) return `/${parts.reverse().join('/')}`;
    const resource = view.resourceOf(current);
    if (resource?.type !== 'AWS::ApiGateway::Resource') return undefined;
    const part = view.text(resource.properties.PathPart, 'PathPart');
    if (!part.known || part.value === undefined) return undefined;
    parts.push(part.value);
    current = resource.properties.ParentId;
  }
  return undefined;
}

function endpointTypesOf(api: TemplateResource | undefined, view: TemplateView): readonly string[] {
  if (api === undefined) return [];
  const types = view.locate(api.properties.EndpointConfiguration, 'Types');
  if (!types.known || !Array.isArray(types.value)) return [];
  return types.value.filter((type): type is string => typeof type === 'string');
}

function readMethod(method: TemplateResource, view: TemplateView): TemplateEvaluation<MethodFacts>[] {
  const api = view.resourceOf(method.properties.RestApiId);
  const apiName =
    api === undefined
      ? 'REST API outside this template'
      : (() => {
          const name = view.text(api.properties.Name, 'Name');
          return name.known && name.value !== undefined ? name.value : api.logicalId;
        })();
  const base = {
    resourceId: method.logicalId,
    logicalId: method.logicalId,
    resourceName: `${apiName} ${method.logicalId}`,
    tags: api === undefined ? {} : view.tags(api.properties.Tags),
    ...(method.line === undefined ? {} : { line: method.line }),
    ...(api === undefined ? {} : { holder: api.logicalId }),
  };
  const verb = view.text(method.properties.HttpMethod, 'HttpMethod');
  if (!verb.known) return [{ ...base, unverifiable: { property: verb.property, reason: verb.reason } }];
  if (verb.value === undefined)
    return [
      {
        ...base,
        unverifiable: { property: 'HttpMethod', reason: 'HttpMethod is missing' },
        fix: 'set HttpMethod and AuthorizationType',
      },
    ];
  const httpMethod = verb.value.toUpperCase();
  const path = pathOf(method.properties.ResourceId, view);
  const qualifiers = path === undefined ? [] : [`${httpMethod} ${path}`];
  const resourceName = `${apiName} ${httpMethod} ${path ?? method.logicalId}`;
  const authorization = view.text(method.properties.AuthorizationType, 'AuthorizationType');
  if (!authorization.known)
    return [
      {
        ...base,
        resourceName,
        qualifiers,
        unverifiable: { property: authorization.property, reason: authorization.reason },
      },
    ];
  const apiKey = view.locate(method.properties.ApiKeyRequired);
  return [
    {
      ...base,
      resourceName,
      facts: {
        apiId: api?.logicalId ?? '<rest-api-id>',
        apiName,
        resourceId: method.logicalId,
        path: path ?? method.logicalId,
        httpMethod,
        authorizationType: authorization.value,
        apiKeyRequired: apiKey.known && (apiKey.value === true || apiKey.value === 'true'),
        endpointTypes: endpointTypesOf(api, view),
        region: undefined,
      },
    },
  ];
}

/** A REST API whose methods come from an OpenAPI definition (Body/BodyS3Location): one finding per method there. */
function readRestApi(api: TemplateResource, view: TemplateView): TemplateEvaluation<MethodFacts>[] {
  if (api.properties.Body === undefined && api.properties.BodyS3Location === undefined) return [];
  return readOpenApiMethods(api, view, endpointTypesOf(api, view));
}

export const methodTemplate: TemplateAdapter<MethodFacts> = {
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGateway::RestApi'],
  sam: [samRestApi],
  property: 'AuthorizationType',
  read: (resource, view) =>
    resource.type === 'AWS::ApiGateway::Method' ? readMethod(resource, view) : readRestApi(resource, view),
  // A method read from an OpenAPI body has its path as resource id (a method resource has its logical id).
  fix: (facts) =>
    facts.resourceId.startsWith('/')
      ? `give ${facts.httpMethod} ${facts.path} in the OpenAPI definition a security requirement naming a scheme with x-amazon-apigateway-authorizer (token, request or cognito_user_pools) or x-amazon-apigateway-authtype awsSigv4 (an api_key requirement alone is not authentication)`
      : 'set AuthorizationType to AWS_IAM, or COGNITO_USER_POOLS/CUSTOM with AuthorizerId (ApiKeyRequired alone is not authentication)',
};
