/**
 * Shared pieces of the runtime tests: a fast retry policy, a fixed clock, the sample events Config sends
 * (copied from the shared reference into ./fixtures), SDK-shaped errors and small rules built for the tests.
 */
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { ConfigServiceServiceException } from '@aws-sdk/client-config-service';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sinon from 'sinon';
import type { RouteFacts } from '../../../rules/apigwv2-route-authorization/facts';
import { apigwv2RouteAuthorization } from '../../../rules/apigwv2-route-authorization/rule';
import type { RetryPolicy } from '../../../rules/core/retry';
import type {
  ClientSettings,
  RuleDefinition,
  SweepContext,
  SweptResource,
  Verdict,
} from '../../../rules/core/types';
import { ACCOUNT, REGION } from '../../helpers/events';

/** The clock of every handler test: exceptions expiring on 2026-10-04 are still valid. */
export const NOW = new Date('2026-10-04T06:30:00.000Z');

export interface FastRetry {
  readonly policy: RetryPolicy;
  readonly sleep: sinon.SinonStub<[number], Promise<void>>;
}

/** A retry policy that never waits; `sleep` records each back-off. */
export function fastRetry(attempts = 3): FastRetry {
  const sleep = sinon.stub<[number], Promise<void>>().resolves();
  return { policy: { attempts, baseDelayMs: 0, maxDelayMs: 0, sleep }, sleep };
}

/** A sample event exactly as Config sends it (see /work/shared/reference/config-events/README.md). */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;
}

/** An AWS SDK service error as the SDK throws it (name, $fault, $metadata). */
export function awsError(name: string, message: string, httpStatusCode = 400): ConfigServiceServiceException {
  return new ConfigServiceServiceException({
    name,
    message,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}

export const throttling = (): ConfigServiceServiceException =>
  awsError('ThrottlingException', 'Rate exceeded');

export const ROUTE_TYPE = 'AWS::ApiGatewayV2::Route';
export const API_TYPE = 'AWS::ApiGatewayV2::Api';

export function routeId(apiIndex: number, routeIndex: number): string {
  return `arn:aws:apigateway:${REGION}::/apis/api${apiIndex}/routes/r${apiIndex}x${routeIndex}`;
}

/** One HTTP API route as the APIGateway.8 sweep reports it (JWT: COMPLIANT; NONE: NON_COMPLIANT). */
export function sweptRoute(
  apiIndex: number,
  routeIndex: number,
  authorizationType: string | undefined = 'JWT',
): SweptResource<RouteFacts> {
  const apiId = `api${apiIndex}`;
  const facts: RouteFacts = {
    apiId,
    apiName: `orders-${apiIndex}`,
    protocolType: 'HTTP',
    routeId: `r${apiIndex}x${routeIndex}`,
    routeKey: `GET /items/${routeIndex}`,
    authorizationType,
    apiHasConnectRoute: false,
    region: REGION,
  };
  return {
    resourceType: ROUTE_TYPE,
    resourceId: routeId(apiIndex, routeIndex),
    resourceName: `${facts.apiName} ${facts.routeKey}`,
    facts,
    tags: {},
    parent: { resourceType: API_TYPE, resourceId: apiId, resourceName: facts.apiName },
  };
}

/** `count` compliant routes spread over APIs of 40 routes each. */
export function sweptRoutes(count: number): SweptResource<RouteFacts>[] {
  return Array.from({ length: count }, (_, index) => sweptRoute(Math.floor(index / 40), index % 40));
}

export type SweepStub = sinon.SinonStub<
  [ApiGatewayV2Client, SweepContext],
  Promise<readonly SweptResource<RouteFacts>[]>
>;

/** The real APIGateway.8 rule with its sweep replaced by a stub. */
export function routeRuleWithSweep(resources: readonly SweptResource<RouteFacts>[] | Error): {
  rule: typeof apigwv2RouteAuthorization;
  sweep: SweepStub;
} {
  const sweep: SweepStub = sinon.stub();
  if (resources instanceof Error) sweep.rejects(resources);
  else sweep.resolves(resources);
  return { rule: { ...apigwv2RouteAuthorization, sweep }, sweep };
}

/** Spy for `createServiceClient` that builds a real (unused) API Gateway v2 client. */
export function serviceClientSpy(): sinon.SinonSpy<[ClientSettings], ApiGatewayV2Client> {
  return sinon.spy((settings: ClientSettings) => new ApiGatewayV2Client(settings));
}

/** Facts of the tiny test rules: the verdict they should reach. */
export interface TinyFacts {
  readonly name: string;
  readonly verdict: Verdict;
}

/** A made-up type, and the rules of the tests that evaluate it: the facts say the verdict outright. */
export const TINY_TYPE = 'AWS::Tiny::Widget';
type TinyRule = RuleDefinition<TinyFacts, undefined, Record<string, never>>;

const tinyBase: Omit<TinyRule, 'trigger' | 'fromConfigurationItem' | 'sweep'> = {
  control: 'Tiny.1',
  ruleName: 'authn-tiny-widget',
  title: 'Tiny widgets',
  description: 'A rule for the runtime tests.',
  resourceType: TINY_TYPE,
  parameters: {},
  service: { name: 'tiny', sdkPackage: 'tiny-sdk', createClient: () => undefined, iamActions: [] },
  evaluate: (facts) => facts.verdict,
  codes: ['tiny-ok', 'tiny-failing', 'tiny-skipped'],
  remediation: () => 'fix it',
};

/** Change-triggered: the CI's configuration is the facts. */
export const tinyChangeRule: TinyRule = {
  ...tinyBase,
  trigger: { kind: 'change' },
  fromConfigurationItem: (item) => item.configuration as TinyFacts,
  sweep: () => Promise.resolve([]),
};

/** Periodic, with the sweep given. */
export const tinyPeriodicRule = (sweep: () => Promise<readonly SweptResource<TinyFacts>[]>): TinyRule => ({
  ...tinyBase,
  ruleName: 'authn-tiny-periodic',
  trigger: { kind: 'periodic', defaultFrequency: 'One_Hour' },
  sweep,
});

export function sweptTiny(index: number, verdict: Verdict): SweptResource<TinyFacts> {
  return {
    resourceType: TINY_TYPE,
    resourceId: `arn:aws:tiny:${REGION}:${ACCOUNT}:widget/w${index}`,
    resourceName: `w${index}`,
    facts: { name: `w${index}`, verdict },
    tags: {},
  };
}

/** The error a promise rejects with; fails the test when it resolves (an invocation must never pass silently). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a value that is not an Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** As `rejectionOf`, and the error must be an instance of `type`. */
export async function rejectionAs<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const error = await rejectionOf(promise);
  if (!(error instanceof type))
    throw new Error(`expected a ${type.name}, got ${error.name}: ${error.message}`);
  return error;
}

/** A copy of an event with its `invokingEvent` (a JSON string) changed. */
export function withInvokingEvent(
  event: Record<string, unknown>,
  change: (invoking: Record<string, unknown>) => void,
): Record<string, unknown> {
  const invoking = JSON.parse(event.invokingEvent as string) as Record<string, unknown>;
  change(invoking);
  return { ...event, invokingEvent: JSON.stringify(invoking) };
}
