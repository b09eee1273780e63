/**
 * What the Terraform adapters of API-like resources share, knowing no control and no resource type: the resource an
 * argument points at (a method's REST API, a route's API), and the OpenAPI `body` an API imports.
 */
import { isOpenApiDocument } from './openapi';
import type { Unverifiable } from './template';
import type { PlanResource, PlanView } from './terraform';

/** The resource an argument points at, or that it is outside this plan, or why it cannot be told before apply. */
export type ReferencedResource =
  | { readonly resource: PlanResource }
  | { readonly outside: true }
  | { readonly unverifiable: Unverifiable; readonly fix: string };

/**
 * The `type` resource that `attribute` of `from` points at: by a known id, else through the configuration's
 * references (module inputs and outputs followed). A known id this plan does not hold, a root variable or a data
 * source is a resource this plan does not manage; several candidates, or a reference plan JSON cannot follow, is
 * unverifiable with `fix`.
 */
export function referencedResource(
  plan: PlanView,
  from: PlanResource,
  attribute: string,
  type: string,
  fix: string,
): ReferencedResource {
  const id = plan.text(from, attribute);
  if (id.known && id.value !== undefined) {
    const resource = plan.byId(type, id.value);
    if (resource !== undefined) return { resource };
  }
  const targets = plan.references(from, attribute);
  const candidates = targets.resources.filter((resource) => resource.type === type);
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { resource: only };
  if (candidates.length > 1) {
    return {
      unverifiable: {
        property: attribute,
        reason: `${attribute} may be any of ${candidates.map((resource) => resource.address).join(', ')} (decided only at apply)`,
      },
      fix,
    };
  }
  // A known id that is not in this plan, a root variable or a data source: a resource this plan does not manage.
  if (id.known || targets.external.length > 0) return { outside: true };
  const through =
    targets.unresolved.length > 0
      ? ` (it comes through ${targets.unresolved.join(', ')}, which plan JSON does not describe)`
      : '';
  return {
    unverifiable: {
      property: attribute,
      reason: `${attribute} is known only after apply and its API is not found in the plan${through}`,
    },
    fix,
  };
}

/** An API's OpenAPI `body`: none (empty or absent), the document, not a definition, or why it is not known. */
export type PlanOpenApiBody =
  | { readonly absent: true }
  | { readonly document: Record<string, unknown> }
  | { readonly notOpenApi: true }
  | { readonly unknown: Unverifiable };

/** The `body` of an API (JSON text, or YAML through the plan's text reader), as an OpenAPI document with paths. */
export function planOpenApiBody(plan: PlanView, api: PlanResource): PlanOpenApiBody {
  const body = plan.value(api, 'body');
  if (!body.known) return { unknown: { property: body.property, reason: body.reason } };
  if (body.value === undefined || body.value === null || body.value === '') return { absent: true };
  const document = typeof body.value === 'string' ? plan.parseText(body.value) : undefined;
  return isOpenApiDocument(document) ? { document } : { notOpenApi: true };
}
