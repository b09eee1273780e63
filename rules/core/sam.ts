/**
 * SAM (`Transform: AWS::Serverless-2016-10-31`) → the CloudFormation resources the SAM transform makes for the
 * front doors the controls judge, so a SAM template goes through the same adapters and decisions as its transformed
 * output. The expansions mirror aws-sam-translator 1.110 (the transform AWS runs), one SAM type each: the HTTP,
 * WebSocket, REST (`Api`) and GraphQL APIs, and the `FunctionUrlConfig` of functions; each says at its top what of
 * the transform it mirrors. An API that function events make without naming one (`ServerlessHttpApi`,
 * `ServerlessRestApi`) is made by the expansion of its type.
 *
 * A template the transform would refuse (an event naming an authorizer the API does not define, `Authorizer: NONE`
 * without a default authorizer) is refused here too, with the transform's reason: it never deploys, so it never
 * passes. test/rules/core/sam.test.ts runs the real translator on every SAM template of the tests and checks the
 * verdicts are the same.
 *
 * This module is what is generic to the transform: whether a template asks for it, Globals, the events of functions,
 * and the loop. Each SAM type's expansion lives in the folder of the control that judges what it makes (a
 * `sam-*.ts` there, declared as the adapter's `TemplateAdapter.sam`); the caller passes them in (the registry's
 * `SAM_EXPANSIONS`), so core names no control.
 */
import type { ParsedTemplate, TemplateResource } from './template';
import { samEvents, type SamFunctionEvent } from './sam/events';
import { isRecord, refName, type Json } from './sam/shared';

export type { SamFunctionEvent } from './sam/events';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** What an expansion reads of a SAM template besides its own resources. */
export interface SamTemplate {
  readonly parsed: ParsedTemplate;
  /** The template's `Globals` section (empty without one). */
  readonly globals: Json;
  /** The line of a path under `Resources`. */
  readonly lineOf: (...path: (string | number)[]) => number | undefined;
  /** A value, or the Default of the parameter it is a Ref to (SAM resolves AutoPublishAlias so). */
  readonly parameterDefault: (value: unknown) => unknown;
  /** The events of `Type: type` of the resources of the `owners` types (functions by default), in template order. */
  readonly events: (type: string, owners?: readonly string[]) => readonly SamFunctionEvent[];
  /** The logical ids of the template's resources of a type. */
  readonly logicalIds: (type: string) => ReadonlySet<string>;
}

/** What one SAM type's expansion does with one template. */
export interface SamExpander {
  /** What the transform makes from events alone (an implicit API), put before the template's own resources. */
  readonly implicit?: readonly TemplateResource[];
  /** What stands in place of a resource of the expansion's type (the resource itself, when SAM keeps it). */
  readonly expand: (resource: TemplateResource) => readonly TemplateResource[];
}

/** The transform's expansion of one SAM resource type, declared by the control that judges what it makes. */
export interface SamExpansion {
  readonly samType: string;
  /** Reads what it needs of the template (and refuses what the transform would refuse) before any resource. */
  readonly start: (template: SamTemplate) => SamExpander;
}

/** Whether the template asks for the SAM transform. */
export function isSamTemplate(parsed: ParsedTemplate): boolean {
  const transform = parsed.body?.Transform;
  const names = Array.isArray(transform) ? transform : [transform];
  return names.some((name) => name === SAM_TRANSFORM);
}

function samTemplate(parsed: ParsedTemplate): SamTemplate {
  const lineOf = (...path: (string | number)[]): number | undefined =>
    parsed.lineOf?.(['Resources', ...path]);
  return {
    parsed,
    globals: isRecord(parsed.body?.Globals) ? parsed.body.Globals : {},
    lineOf,
    parameterDefault: (value) => {
      const name = refName(value);
      if (typeof value === 'string' || name === undefined) return value;
      const parameter = (parsed.body?.Parameters as Json | undefined)?.[name];
      return isRecord(parameter) ? parameter.Default : undefined;
    },
    events: (type, owners = ['AWS::Serverless::Function']) => samEvents(parsed, lineOf, type, owners),
    logicalIds: (type) =>
      new Set(parsed.resources.filter((resource) => resource.type === type).map((r) => r.logicalId)),
  };
}

/**
 * The template with its SAM front doors replaced by what the transform makes of them; other resources as they are
 * (a resource of a SAM type no expansion takes is no resource of the controls, before or after the transform).
 */
export function expandSam(parsed: ParsedTemplate, expansions: readonly SamExpansion[]): ParsedTemplate {
  if (!isSamTemplate(parsed)) return parsed;
  const template = samTemplate(parsed);
  const expanders = new Map<string, SamExpander>();
  const resources: TemplateResource[] = [];
  for (const expansion of expansions) {
    // Two expansions of one type would each replace the resource: a registry mistake, not a template's.
    if (expanders.has(expansion.samType)) throw new Error(`two SAM expansions of ${expansion.samType}`);
    const expander = expansion.start(template);
    expanders.set(expansion.samType, expander);
    resources.push(...(expander.implicit ?? []));
  }
  for (const resource of parsed.resources) {
    const expander = expanders.get(resource.type);
    resources.push(...(expander === undefined ? [resource] : expander.expand(resource)));
  }
  return { ...parsed, resources };
}

/**
 * The events of an API type's implicit API, when the template does not define one of that id; refuses events that
 * name an API the template does not have of that type (the transform's check).
 */
export function implicitApiEvents<E>(
  template: SamTemplate,
  samType: string,
  implicitId: string,
  eventsByApi: ReadonlyMap<string, readonly E[]>,
  refuse: (apiId: string, events: readonly E[]) => never,
): readonly E[] | undefined {
  const explicit = template.logicalIds(samType);
  for (const [apiId, events] of eventsByApi) {
    if (apiId !== implicitId && !explicit.has(apiId)) refuse(apiId, events);
  }
  return explicit.has(implicitId) ? undefined : eventsByApi.get(implicitId);
}
