/**
 * What the SAM expansions (rules/core/sam.ts and the `sam-*.ts` of the control folders) share: the JSON shapes,
 * Globals merging, the events of functions that make routes and methods, where such a route is fixed, and the
 * transform's refusals.
 */
import { TemplateError, type RouteOrigin, type SamSource } from '../template';
import type { SamFunctionEvent } from './events';

export const ANY_METHOD = 'x-amazon-apigateway-any-method';
export const INTEGRATION = 'x-amazon-apigateway-integration';

export type Json = Record<string, unknown>;

export const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An event of a function (or a state machine) that makes an API route or method. */
export interface SamEvent {
  readonly functionId: string;
  readonly eventName: string;
  readonly path: string;
  /** Lower case, `x-amazon-apigateway-any-method` for `any`, as SAM normalizes it. */
  readonly method: string;
  readonly auth: Json | undefined;
  readonly condition: unknown;
  readonly line: number | undefined;
  /** The line of the event's `Auth.Authorizer`, when written. */
  readonly authorizerLine: number | undefined;
}

/** The route or method an event makes at `path` and `method` (lower case, the any-method for `any`). */
export function routeEvent(event: SamFunctionEvent, path: string, method: string): SamEvent {
  return {
    functionId: event.ownerId,
    eventName: event.eventName,
    path,
    method,
    auth: event.auth,
    condition: event.condition,
    line: event.line,
    authorizerLine: event.authorizerLine,
  };
}

export function refName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.Ref === 'string') return value.Ref;
  return undefined;
}

export function fail(logicalId: string, reason: string): never {
  throw new TemplateError(`SAM transform would fail: resource ${logicalId}: ${reason}`);
}

/** SAM's Globals for a resource type, merged under the resource's own properties (mappings key by key). */
export function withGlobals(properties: Json, globals: unknown): Json {
  if (!isRecord(globals)) return properties;
  const merged: Json = { ...globals };
  for (const [key, value] of Object.entries(properties)) {
    const global = merged[key];
    merged[key] = isRecord(global) && isRecord(value) ? { ...global, ...value } : value;
  }
  return merged;
}

/** The definitions of a method, both sides of a `Fn::If` SAM wrapped it in (get_conditional_contents). */
export function conditionalContents(value: unknown): Json[] {
  if (isRecord(value) && Array.isArray(value['Fn::If']) && Object.keys(value).length === 1) {
    return (value['Fn::If'] as unknown[])
      .slice(1)
      .filter((branch): branch is Json => isRecord(branch) && !(branch.Ref === 'AWS::NoValue'));
  }
  return isRecord(value) ? [value] : [];
}

/** Whether a method of a definition has an integration (the methods SAM edits). */
export function hasIntegration(method: unknown): boolean {
  return isRecord(method) && method[INTEGRATION] !== undefined;
}

/** Where a route an event makes is fixed: the event, at its `Auth.Authorizer` when that is written. */
export function eventOrigin(event: SamEvent, name: string): RouteOrigin {
  const line = event.authorizerLine ?? event.line;
  const authorizer = event.auth?.Authorizer;
  return {
    logicalId: event.functionId,
    name,
    eventName: event.eventName,
    ...(authorizer === undefined ? {} : { authorizer }),
    ...(line === undefined ? {} : { line }),
  };
}

export function samSource(type: string, logicalId: string, globals?: string, implicit = false): SamSource {
  return {
    type,
    logicalId,
    ...(globals === undefined ? {} : { globals }),
    ...(implicit ? { implicit } : {}),
  };
}
