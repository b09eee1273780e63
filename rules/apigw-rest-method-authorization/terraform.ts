/**
 * Terraform → REST method facts. Methods are `aws_api_gateway_method` (`authorization` is required by the provider,
 * hashicorp/aws 5.100.0), their API found by a known `rest_api_id`, else through the configuration's references
 * (the API holds the exception tags and the endpoint types), their path from the resource's known `path`, else
 * rebuilt from the `aws_api_gateway_resource` chain (`path_part`, `parent_id` up to the API's `root_resource_id`).
 * An `aws_api_gateway_rest_api` with an OpenAPI `body` gets one finding per method of the definition, read as API
 * Gateway's REST import applies it (rules/core/openapi.ts `restApiMethods`), as for CloudFormation's Body.
 */
import { restApiMethods, type BasePathMode } from '../core/openapi';
import { planOpenApiBody, referencedResource } from '../core/terraform-apis';
import type { TemplateEvaluation } from '../core/template';
import { knownText, type PlanResource, type PlanView } from '../core/terraform';
import type { TerraformAdapter } from '../core/types';
import type { MethodFacts } from './facts';

const METHOD = 'aws_api_gateway_method';
const API = 'aws_api_gateway_rest_api';
const RESOURCE = 'aws_api_gateway_resource';

/** Nested resources deeper than this are a cycle, not a path (API Gateway allows far fewer levels). */
const MAX_DEPTH = 64;

const REFERENCE_THE_API =
  'reference the API resource (rest_api_id = aws_api_gateway_rest_api.<name>.id, or a module output that is one), or document an exception tag';

function apiNameOf(api: PlanResource | undefined, plan: PlanView): string {
  if (api === undefined) return 'REST API outside this plan';
  return knownText(plan, api, 'name') ?? api.address;
}

/** The API's id as it will be known: its id when it exists already, else its address. */
function apiIdOf(api: PlanResource, plan: PlanView): string {
  return knownText(plan, api, 'id') ?? api.address;
}

/** `EDGE`, `REGIONAL`, `PRIVATE`; empty when not known before apply (counted as internet-facing). */
function endpointTypesOf(api: PlanResource | undefined, plan: PlanView): readonly string[] {
  if (api === undefined) return [];
  const types = plan.value(api, 'endpoint_configuration', 0, 'types');
  if (!types.known || !Array.isArray(types.value)) return [];
  return types.value.filter((type): type is string => typeof type === 'string');
}

/**
 * What `resource_id` (or a resource's `parent_id`) points at: an API's root, a resource, or nothing this plan can
 * name. Only `root_resource_id` of a REST API is a resource id, so a reference to the API is to its root.
 */
function pointedAt(
  resource: PlanResource,
  attribute: string,
  plan: PlanView,
): { readonly root: PlanResource } | { readonly resource: PlanResource } | undefined {
  const targets = plan.references(resource, attribute).resources;
  const resources = targets.filter((target) => target.type === RESOURCE);
  const apis = targets.filter((target) => target.type === API);
  if (resources.length === 1 && resources[0] !== undefined) return { resource: resources[0] };
  if (resources.length === 0 && apis.length === 1 && apis[0] !== undefined) return { root: apis[0] };
  const id = knownText(plan, resource, attribute);
  if (id === undefined) return undefined;
  const found = plan.byId(RESOURCE, id);
  return found === undefined ? undefined : { resource: found };
}

/** `/a/{id}` of a method's resource; undefined when a part is not known before apply. */
function pathOf(method: PlanResource, plan: PlanView): string | undefined {
  let current = pointedAt(method, 'resource_id', plan);
  const parts: string[] = [];
  for (let depth = 0; depth < MAX_DEPTH && current !== undefined; depth += 1) {
    if ('root' in current) return `/${parts.reverse().join('/')}`;
    const known = knownText(plan, current.resource, 'path');
    if (known !== undefined) {
      const prefix = known === '/' ? '' : known;
      return parts.length === 0 ? known : `${prefix}/${parts.reverse().join('/')}`;
    }
    const part = knownText(plan, current.resource, 'path_part');
    if (part === undefined) return undefined;
    parts.push(part);
    current = pointedAt(current.resource, 'parent_id', plan);
  }
  return undefined;
}

function readMethod(method: PlanResource, plan: PlanView): TemplateEvaluation<MethodFacts>[] {
  const lookup = referencedResource(plan, method, 'rest_api_id', API, REFERENCE_THE_API);
  const api = 'resource' in lookup ? lookup.resource : undefined;
  const apiName = apiNameOf(api, plan);
  const base = {
    resourceId: method.address,
    logicalId: method.address,
    resourceName: `${apiName} ${method.address}`,
    tags: api === undefined ? {} : plan.tags(api),
    ...(api === undefined ? {} : { holder: api.address }),
  };
  const verb = plan.text(method, 'http_method');
  if (!verb.known)
    return [
      {
        ...base,
        unverifiable: { property: verb.property, reason: verb.reason },
        fix: 'set http_method to a literal',
      },
    ];
  if (verb.value === undefined) {
    return [
      {
        ...base,
        unverifiable: { property: 'http_method', reason: 'http_method is missing' },
        fix: 'set http_method and authorization',
      },
    ];
  }
  const httpMethod = verb.value.toUpperCase();
  const path = pathOf(method, plan);
  const resourceId = knownText(plan, method, 'resource_id') ?? method.address;
  const qualifiers = [
    ...(path === undefined ? [] : [`${httpMethod} ${path}`]),
    `${httpMethod} ${resourceId}`,
  ];
  const resourceName = `${apiName} ${httpMethod} ${path ?? resourceId}`;
  if ('unverifiable' in lookup) {
    return [{ ...base, resourceName, qualifiers, unverifiable: lookup.unverifiable, fix: lookup.fix }];
  }
  const authorization = plan.text(method, 'authorization');
  if (!authorization.known)
    return [
      {
        ...base,
        resourceName,
        qualifiers,
        unverifiable: { property: authorization.property, reason: authorization.reason },
      },
    ];
  const apiKey = plan.value(method, 'api_key_required');
  const apiIdValue = knownText(plan, method, 'rest_api_id');
  return [
    {
      ...base,
      resourceName,
      facts: {
        apiId: api !== undefined ? apiIdOf(api, plan) : (apiIdValue ?? '<rest-api-id>'),
        apiName,
        resourceId,
        path: path ?? resourceId,
        httpMethod,
        authorizationType: authorization.value,
        apiKeyRequired: apiKey.known && apiKey.value === true,
        endpointTypes: endpointTypesOf(api, plan),
        region: undefined,
      },
    },
  ];
}

const BODY_FIX =
  'state each operation’s security in the OpenAPI body with literal values (securityDefinitions with x-amazon-apigateway-authorizer or x-amazon-apigateway-authtype), or document an exception tag';

/** A REST API whose methods come from an OpenAPI `body`: one evaluation per method of the definition. */
function readBody(api: PlanResource, plan: PlanView): TemplateEvaluation<MethodFacts>[] {
  const body = planOpenApiBody(plan, api);
  if ('absent' in body) return [];
  const apiName = apiNameOf(api, plan);
  const whole = {
    resourceId: `${api.address}/openapi-methods`,
    logicalId: api.address,
    resourceName: `${apiName} (methods from OpenAPI)`,
    tags: plan.tags(api),
    holder: api.address,
  };
  if ('unknown' in body) return [{ ...whole, unverifiable: body.unknown, fix: BODY_FIX }];
  if ('notOpenApi' in body) {
    return [
      {
        ...whole,
        unverifiable: {
          property: 'body',
          reason: 'body is not an OpenAPI (Swagger 2.0 or 3.0) definition with paths',
        },
        fix: 'make body an OpenAPI definition API Gateway can import',
      },
    ];
  }
  const endpointTypes = endpointTypesOf(api, plan);
  return restApiMethods(body.document, basePathModeOf(api, plan)).map(
    (method): TemplateEvaluation<MethodFacts> => {
      const key = `${method.httpMethod} ${method.path}`;
      const base = {
        ...whole,
        resourceId: `${api.address}/${key}`,
        resourceName: `${apiName} ${key}`,
      };
      if (method.authorization.kind === 'unknown') {
        return {
          ...base,
          unverifiable: {
            property: 'body',
            reason: `the OpenAPI definition of ${key}: ${method.authorization.reason}`,
          },
          fix: BODY_FIX,
          qualifiers: [key],
        };
      }
      const facts: MethodFacts = {
        apiId: apiIdOf(api, plan),
        apiName,
        resourceId: method.path,
        path: method.path,
        httpMethod: method.httpMethod,
        authorizationType: method.authorization.kind === 'type' ? method.authorization.type : 'NONE',
        apiKeyRequired: method.apiKeyRequired,
        endpointTypes,
        region: undefined,
      };
      fromBody.add(facts);
      return { ...base, facts };
    },
  );
}

/** `parameters = { basepath = "prepend" }` is the import's base path mode (as the RestApi's Parameters); ignore by default. */
function basePathModeOf(api: PlanResource, plan: PlanView): BasePathMode {
  const mode = knownText(plan, api, 'parameters', 'basepath')?.toLowerCase();
  return mode === 'prepend' || mode === 'split' ? mode : 'ignore';
}

/** Facts of methods read from a body: their fix is in the definition, not in an aws_api_gateway_method. */
const fromBody = new WeakSet<MethodFacts>();

export const methodTerraform: TerraformAdapter<MethodFacts> = {
  resourceTypes: [METHOD, API],
  read: (resource, plan) =>
    resource.type === METHOD ? readMethod(resource, plan) : readBody(resource, plan),
  fix: (facts) =>
    fromBody.has(facts)
      ? `give ${facts.httpMethod} ${facts.path} a security requirement in the OpenAPI body naming a scheme with x-amazon-apigateway-authorizer (cognito_user_pools, token, request) or x-amazon-apigateway-authtype awsSigv4 (an API key alone is not authentication)`
      : 'set authorization = "AWS_IAM", or "COGNITO_USER_POOLS"/"CUSTOM" with authorizer_id (api_key_required alone is not authentication)',
};
