/**
 * API Gateway throttles its management API per account and Region as a whole: "Total operations", 10 requests a
 * second with a burst of 40, not adjustable (API Gateway developer guide, "Amazon API Gateway quotas": API Gateway
 * quotas for creating, deploying and managing an API). REST API calls (GetRestApis, GetResources) and HTTP/WebSocket
 * API calls (GetApis, GetRoutes) draw from that one quota, and so do the account's deployments and consoles.
 *
 * So the pack's sweeps use only a share of it (deploy setting `apiGatewayQuotaShare`, default half), split evenly
 * between the sweeps that call API Gateway (every periodic rule whose role may call apigateway:GET: Config may run them
 * at once); the CDK
 * app gives each function its rate in AUTHN_PACK_APIGATEWAY_REQUESTS_PER_SECOND. Without it (the CLI's scan, run by
 * hand) a sweep uses the whole quota at a burst of 10, as it always has.
 */
import { RateLimiter, rateLimitFromEnvironment, systemClock, type Clock, type RateLimit } from './rate-limit';
import type { AnyRule } from './types';

export const API_GATEWAY_ACCOUNT_QUOTA: RateLimit = { ratePerSecond: 10, burst: 40 };
/** The requests a second this function's sweep may send (set by the CDK app). */
export const API_GATEWAY_RATE_VARIABLE = 'AUTHN_PACK_APIGATEWAY_REQUESTS_PER_SECOND';
/** A sweep run by hand: the whole quota, a burst of 10 (the CLI's behaviour before the share existed). */
export const API_GATEWAY_SWEEP_DEFAULT: RateLimit = { ratePerSecond: 10, burst: 10 };

/** Whether a rule's sweep calls API Gateway's management API (its role may call apigateway:GET). */
export function sweepsApiGateway(rule: Pick<AnyRule, 'trigger' | 'service'>): boolean {
  return rule.trigger.kind === 'periodic' && rule.service.iamActions.includes('apigateway:GET');
}

/** Each sweep's rate when `share` of the account's quota is split between `sweeps` sweeps that may run at once. */
export function sweepRate(share: number, sweeps: number): RateLimit {
  if (!(share > 0 && share <= 1))
    throw new RangeError(`quota share must be above 0 and at most 1, not ${share}`);
  const ratePerSecond =
    Math.floor(((share * API_GATEWAY_ACCOUNT_QUOTA.ratePerSecond) / Math.max(1, sweeps)) * 100) / 100;
  return { ratePerSecond, burst: Math.max(1, Math.floor(ratePerSecond)) };
}

/** The rate this function's sweep was given (AUTHN_PACK_APIGATEWAY_REQUESTS_PER_SECOND), else the default. */
export function apiGatewaySweepLimit(environment: NodeJS.ProcessEnv = process.env): RateLimit {
  return rateLimitFromEnvironment(API_GATEWAY_RATE_VARIABLE, API_GATEWAY_SWEEP_DEFAULT, environment);
}

/**
 * One limiter per sweep: every API Gateway call of the sweep (GetApis and GetRoutes, or GetRestApis, GetResources
 * and GetMethod) draws from the same bucket. `clock` is for the bench's simulated time.
 */
export function apiGatewayLimiter(
  limit: RateLimit = apiGatewaySweepLimit(),
  clock: Clock = systemClock,
): RateLimiter {
  return new RateLimiter({ management: limit }, () => 'management', clock);
}
