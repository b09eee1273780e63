/**
 * The `Api` and `HttpApi` events of the template's functions (and `Api` events of state machines), by the API they
 * make routes and methods on (`ServerlessHttpApi` / `ServerlessRestApi` when they name none), as the transform
 * collects them (aws-sam-translator 1.110; see rules/core/sam.ts).
 */
import type { ParsedTemplate } from '../template';
import { IMPLICIT_HTTP_API, type HttpEvent } from './http-api';
import { IMPLICIT_REST_API, type RestEvent } from './rest-api';
import { ANY_METHOD, fail, isRecord, refName, type Json, type SamEvent } from './shared';

export interface SamEvents {
  readonly http: ReadonlyMap<string, HttpEvent[]>;
  readonly rest: ReadonlyMap<string, RestEvent[]>;
}

export function samEvents(
  parsed: ParsedTemplate,
  lineOf: (...path: (string | number)[]) => number | undefined,
): SamEvents {
  const eventsByApi = new Map<string, HttpEvent[]>();
  const restEventsByApi = new Map<string, RestEvent[]>();
  for (const resource of parsed.resources) {
    const isStateMachine = resource.type === 'AWS::Serverless::StateMachine';
    if (resource.type !== 'AWS::Serverless::Function' && !isStateMachine) continue;
    const events = resource.properties.Events;
    if (!isRecord(events)) continue;
    const raw = (parsed.body?.Resources as Json | undefined)?.[resource.logicalId];
    const condition = isRecord(raw) ? raw.Condition : undefined;
    /** What every event records: its Auth, the function's Condition, and the lines of the event and its Authorizer. */
    const common = (
      eventName: string,
      properties: Json,
    ): Pick<SamEvent, 'auth' | 'condition' | 'line' | 'authorizerLine'> => {
      const at = [resource.logicalId, 'Properties', 'Events', eventName] as const;
      return {
        auth: isRecord(properties.Auth) ? properties.Auth : undefined,
        condition,
        line: lineOf(...at),
        authorizerLine: lineOf(...at, 'Properties', 'Auth', 'Authorizer'),
      };
    };
    for (const [eventName, event] of Object.entries(events)) {
      if (isStateMachine && !(isRecord(event) && event.Type === 'Api')) continue;
      if (isRecord(event) && event.Type === 'Api') {
        const properties = isRecord(event.Properties) ? event.Properties : {};
        const restApiId =
          properties.RestApiId === undefined ? IMPLICIT_REST_API : refName(properties.RestApiId);
        const eventId = `${resource.logicalId}${eventName}`;
        if (restApiId === undefined)
          fail(
            eventId,
            "RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.",
          );
        if (typeof properties.Path !== 'string') fail(eventId, "Missing required property 'Path'.");
        if (typeof properties.Method !== 'string') fail(eventId, "Missing required property 'Method'.");
        const lower = properties.Method.toLowerCase();
        const list = restEventsByApi.get(restApiId) ?? [];
        list.push({
          functionId: resource.logicalId,
          kind: isStateMachine ? 'state machine' : 'function',
          eventName,
          path: properties.Path,
          method: lower === 'any' ? ANY_METHOD : lower,
          rawMethod: lower,
          ...common(eventName, properties),
        });
        restEventsByApi.set(restApiId, list);
        continue;
      }
      if (!isRecord(event) || event.Type !== 'HttpApi') continue;
      const properties = isRecord(event.Properties) ? event.Properties : {};
      const apiId = properties.ApiId === undefined ? IMPLICIT_HTTP_API : refName(properties.ApiId);
      if (apiId === undefined)
        fail(
          resource.logicalId,
          `event ${eventName}: ApiId must be a Ref to an AWS::Serverless::HttpApi in the template`,
        );
      let path = typeof properties.Path === 'string' ? properties.Path : '';
      let method = typeof properties.Method === 'string' ? properties.Method.toLowerCase() : '';
      if (path === '' && method === '') {
        path = '$default';
        method = ANY_METHOD;
      }
      if (method === 'any') method = ANY_METHOD;
      const list = eventsByApi.get(apiId) ?? [];
      list.push({
        functionId: resource.logicalId,
        eventName,
        path,
        method,
        ...common(eventName, properties),
      });
      eventsByApi.set(apiId, list);
    }
  }
  return { http: eventsByApi, rest: restEventsByApi };
}
