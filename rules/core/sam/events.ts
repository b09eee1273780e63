/**
 * The events of the template's functions (and of other SAM resources that take events, such as state machines) of one
 * event Type, in template order, as the transform collects them (aws-sam-translator 1.110; see rules/core/sam.ts).
 * What an event of a Type makes is read by the expansion that takes that Type.
 */
import type { ParsedTemplate } from '../template';
import { isRecord, type Json } from './shared';

/** One event of a function (or another SAM resource), as written, with where it and its Authorizer are. */
export interface SamFunctionEvent {
  /** The function (or state machine) whose event this is. */
  readonly ownerId: string;
  readonly ownerType: string;
  readonly eventName: string;
  readonly properties: Json;
  readonly auth: Json | undefined;
  /** The owner's Condition, which SAM puts on what the event makes. */
  readonly condition: unknown;
  readonly line: number | undefined;
  /** The line of the event's `Auth.Authorizer`, when written. */
  readonly authorizerLine: number | undefined;
}

export function samEvents(
  parsed: ParsedTemplate,
  lineOf: (...path: (string | number)[]) => number | undefined,
  type: string,
  owners: readonly string[],
): SamFunctionEvent[] {
  const found: SamFunctionEvent[] = [];
  for (const resource of parsed.resources) {
    if (!owners.includes(resource.type)) continue;
    const events = resource.properties.Events;
    if (!isRecord(events)) continue;
    const raw = (parsed.body?.Resources as Json | undefined)?.[resource.logicalId];
    const condition = isRecord(raw) ? raw.Condition : undefined;
    for (const [eventName, event] of Object.entries(events)) {
      if (!isRecord(event) || event.Type !== type) continue;
      const properties = isRecord(event.Properties) ? event.Properties : {};
      const at = [resource.logicalId, 'Properties', 'Events', eventName] as const;
      found.push({
        ownerId: resource.logicalId,
        ownerType: resource.type,
        eventName,
        properties,
        auth: isRecord(properties.Auth) ? properties.Auth : undefined,
        condition,
        line: lineOf(...at),
        authorizerLine: lineOf(...at, 'Properties', 'Auth', 'Authorizer'),
      });
    }
  }
  return found;
}
