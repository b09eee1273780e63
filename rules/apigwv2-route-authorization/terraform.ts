/**
 * Terraform → route facts. Routes are `aws_apigatewayv2_route` (their API found by a known `api_id`, else through
 * the configuration's references), and the `$default` route a quick-create HTTP API (`target`) gets from API Gateway.
 * A route without `authorization_type` is NONE: the provider's schema default (hashicorp/aws 5.100.0 plans write it).
 */
import { openApiDisablesEndpoint, openApiRoutes, openApiTags } from '../core/openapi';
import { planOpenApiBody, referencedResource, type ReferencedResource } from '../core/terraform-apis';
import type { TemplateEvaluation } from '../core/template';
import { knownText, type PlanResource, type PlanView } from '../core/terraform';
import type { TerraformAdapter } from '../core/types';
import type { RouteFacts } from './facts';

const ROUTE = 'aws_apigatewayv2_route';
const API = 'aws_apigatewayv2_api';

/** Keys only an HTTP API has (`$default` exists on WebSocket APIs too). */
const HTTP_ROUTE_KEY = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/.*$/;

interface PlanRoutes {
  readonly apis: Map<PlanResource, ReferencedResource>;
  readonly connect: Set<PlanResource>;
}

/** Per plan: each route's API, and the APIs that have a `$connect` route (worked out once for all routes). */
const planRoutes = new WeakMap<PlanView, PlanRoutes>();

function routesOf(plan: PlanView): PlanRoutes {
  let found = planRoutes.get(plan);
  if (found === undefined) {
    const apis = new Map<PlanResource, ReferencedResource>();
    const connect = new Set<PlanResource>();
    for (const route of plan.ofType(ROUTE)) {
      const lookup = findApi(route, plan);
      apis.set(route, lookup);
      const key = plan.text(route, 'route_key');
      if ('resource' in lookup && key.known && key.value === '$connect') connect.add(lookup.resource);
    }
    found = { apis, connect };
    planRoutes.set(plan, found);
  }
  return found;
}

const REFERENCE_THE_API =
  'reference the API resource (api_id = aws_apigatewayv2_api.<name>.id, or a module output that is one), or document an exception tag';

const findApi = (route: PlanResource, plan: PlanView): ReferencedResource =>
  referencedResource(plan, route, 'api_id', API, REFERENCE_THE_API);

function apiNameOf(api: PlanResource | undefined, plan: PlanView): string {
  if (api === undefined) return 'API outside this plan';
  return knownText(plan, api, 'name') ?? api.address;
}

/** The API's id as it will be known: its id when it exists already, else its address. */
function apiIdOf(api: PlanResource, plan: PlanView): string {
  return knownText(plan, api, 'id') ?? api.address;
}

function executeApiEnabled(api: PlanResource | undefined, plan: PlanView): boolean {
  if (api === undefined) return true;
  const disabled = plan.value(api, 'disable_execute_api_endpoint');
  return !(disabled.known && disabled.value === true);
}

function readRoute(route: PlanResource, plan: PlanView): TemplateEvaluation<RouteFacts>[] {
  const routes = routesOf(plan);
  const lookup = routes.apis.get(route) ?? findApi(route, plan);
  const api = 'resource' in lookup ? lookup.resource : undefined;
  const apiName = apiNameOf(api, plan);
  const base = {
    resourceId: route.address,
    logicalId: route.address,
    resourceName: route.address,
    tags: api === undefined ? {} : plan.tags(api),
    ...(api === undefined ? {} : { holder: api.address }),
  };
  const routeKey = plan.text(route, 'route_key');
  if (!routeKey.known)
    return [
      {
        ...base,
        unverifiable: { property: routeKey.property, reason: routeKey.reason },
        fix: 'set route_key to a literal',
      },
    ];
  if (routeKey.value === undefined) {
    return [
      {
        ...base,
        unverifiable: { property: 'route_key', reason: 'route_key is missing' },
        fix: 'set route_key and authorization_type',
      },
    ];
  }
  const id = plan.text(route, 'id');
  const routeId = id.known && id.value !== undefined ? id.value : route.address;
  const qualifiers = [routeId, routeKey.value];
  if ('unverifiable' in lookup)
    return [{ ...base, qualifiers, unverifiable: lookup.unverifiable, fix: lookup.fix }];
  const authorization = plan.text(route, 'authorization_type');
  if (!authorization.known)
    return [
      {
        ...base,
        qualifiers,
        unverifiable: { property: authorization.property, reason: authorization.reason },
      },
    ];
  const protocol =
    api === undefined ? { known: true as const, value: undefined } : plan.text(api, 'protocol_type');
  if (!protocol.known)
    return [{ ...base, qualifiers, unverifiable: { property: protocol.property, reason: protocol.reason } }];
  const open = (authorization.value ?? 'NONE') === 'NONE';
  if (api === undefined && open && routeKey.value !== '$connect' && !HTTP_ROUTE_KEY.test(routeKey.value)) {
    return [
      {
        ...base,
        qualifiers,
        unverifiable: {
          property: 'api_id',
          reason: "the route's API is not in this plan, so whether it is a WebSocket API is unknown",
        },
        fix: "plan the route's API in the same configuration so the check can tell HTTP from WebSocket (a WebSocket route is judged by its $connect), or document an exception tag",
      },
    ];
  }
  const apiIdValue = plan.text(route, 'api_id');
  const facts: RouteFacts = {
    apiId:
      api !== undefined
        ? apiIdOf(api, plan)
        : apiIdValue.known && apiIdValue.value !== undefined
          ? apiIdValue.value
          : '<api-id>',
    apiName,
    protocolType: protocol.value,
    routeId,
    routeKey: routeKey.value,
    authorizationType: authorization.value,
    apiHasConnectRoute: api === undefined ? true : routes.connect.has(api),
    region: '<region>',
    executeApiEndpoint: executeApiEnabled(api, plan),
  };
  return [{ ...base, facts }];
}

const QUICK_CREATE_FIX =
  'quick create (target) gives the API a $default route without authorization: remove target and define an aws_apigatewayv2_integration and aws_apigatewayv2_route resources with authorization_type JWT, AWS_IAM or CUSTOM';

/** A quick-create HTTP API (`target`) gets a route (`route_key`, default `$default`) with no authorization. */
function readApi(api: PlanResource, plan: PlanView): TemplateEvaluation<RouteFacts>[] {
  const apiName = apiNameOf(api, plan);
  const base = {
    logicalId: api.address,
    tags: plan.tags(api),
    holder: api.address,
  };
  const target = plan.value(api, 'target');
  if (!target.known) {
    return [
      {
        ...base,
        resourceId: `${api.address}/$default`,
        resourceName: `${api.address} $default`,
        qualifiers: ['$default'],
        unverifiable: {
          property: target.property,
          reason: `${target.reason}, so whether API Gateway creates an open $default route is not known`,
        },
        fix: QUICK_CREATE_FIX,
      },
    ];
  }
  if (typeof target.value === 'string' && target.value !== '') {
    const key = plan.text(api, 'route_key');
    const routeKey = key.known && key.value !== undefined ? key.value : '$default';
    return [
      {
        ...base,
        resourceId: `${api.address}/${routeKey}`,
        resourceName: `${api.address} ${routeKey}`,
        facts: {
          apiId: apiIdOf(api, plan),
          apiName,
          protocolType: 'HTTP',
          routeId: '$default',
          routeKey,
          authorizationType: undefined,
          apiHasConnectRoute: false,
          region: '<region>',
          executeApiEndpoint: executeApiEnabled(api, plan),
        },
      },
    ];
  }
  return readBody(api, plan);
}

const BODY_FIX =
  'state each route’s security in the OpenAPI body with literal values (securitySchemes with x-amazon-apigateway-authorizer, or x-amazon-apigateway-authtype awsSigv4), or document an exception tag';

/**
 * An API whose routes are imported from an OpenAPI `body` (the provider imports it on create and update): one
 * evaluation per route, read as API Gateway's import reads it (rules/core/openapi.ts), as for CloudFormation's Body.
 */
function readBody(api: PlanResource, plan: PlanView): TemplateEvaluation<RouteFacts>[] {
  const body = planOpenApiBody(plan, api);
  if ('absent' in body) return [];
  const whole = {
    resourceId: `${api.address}/openapi-routes`,
    logicalId: api.address,
    resourceName: `${apiNameOf(api, plan)} (routes from OpenAPI)`,
    tags: plan.tags(api),
    holder: api.address,
  };
  if ('unknown' in body) return [{ ...whole, unverifiable: body.unknown, fix: BODY_FIX }];
  if ('notOpenApi' in body) {
    return [
      {
        ...whole,
        unverifiable: { property: 'body', reason: 'body is not an OpenAPI 3.0 definition with paths' },
        fix: 'make body an OpenAPI 3.0 definition API Gateway can import',
      },
    ];
  }
  const document = body.document;
  const title = (document.info as { title?: unknown } | undefined)?.title;
  const apiName = knownText(plan, api, 'name') ?? (typeof title === 'string' ? title : api.address);
  // Tags in the definition, as SAM writes an HttpApi's; the resource's own tags beside them.
  const tags = { ...openApiTags(document), ...plan.tags(api) };
  const executeApiEndpoint = executeApiEnabled(api, plan) && !openApiDisablesEndpoint(document);
  const protocol = plan.text(api, 'protocol_type');
  return openApiRoutes(document).map((route): TemplateEvaluation<RouteFacts> => {
    const base = {
      ...whole,
      tags,
      resourceId: `${api.address}/${route.routeKey}`,
      resourceName: `${apiName} ${route.routeKey}`,
    };
    if (route.authorization.kind === 'unknown') {
      return {
        ...base,
        unverifiable: {
          property: 'body',
          reason: `the OpenAPI definition of ${route.routeKey}: ${route.authorization.reason}`,
        },
        fix: BODY_FIX,
        qualifiers: [route.routeKey],
      };
    }
    const facts: RouteFacts = {
      apiId: apiIdOf(api, plan),
      apiName,
      protocolType: protocol.known ? (protocol.value ?? 'HTTP') : 'HTTP',
      routeId: route.routeKey,
      routeKey: route.routeKey,
      authorizationType: route.authorization.kind === 'type' ? route.authorization.type : 'NONE',
      apiHasConnectRoute: false,
      region: '<region>',
      executeApiEndpoint,
    };
    fromBody.add(facts);
    return { ...base, facts };
  });
}

/** Facts of routes read from a body: their fix is in the definition, not in an aws_apigatewayv2_route. */
const fromBody = new WeakSet<RouteFacts>();

export function routeTerraformFix(facts: RouteFacts): string {
  if (fromBody.has(facts)) {
    return `give ${facts.routeKey} a security requirement in the OpenAPI body naming a scheme with x-amazon-apigateway-authorizer (jwt or request) or x-amazon-apigateway-authtype awsSigv4`;
  }
  if (facts.protocolType === 'WEBSOCKET' && !facts.apiHasConnectRoute) {
    return 'add an aws_apigatewayv2_route with route_key = "$connect" and authorization_type = "AWS_IAM" or "CUSTOM" (with authorizer_id)';
  }
  if (facts.routeId === '$default' && facts.protocolType === 'HTTP') return QUICK_CREATE_FIX;
  return facts.protocolType === 'WEBSOCKET'
    ? 'set authorization_type = "AWS_IAM" or "CUSTOM" (with authorizer_id) on the $connect route'
    : 'set authorization_type = "JWT" or "CUSTOM" (with authorizer_id), or "AWS_IAM"';
}

export const routeTerraform: TerraformAdapter<RouteFacts> = {
  resourceTypes: [ROUTE, API],
  fix: routeTerraformFix,
  read: (resource, plan) => (resource.type === ROUTE ? readRoute(resource, plan) : readApi(resource, plan)),
};
