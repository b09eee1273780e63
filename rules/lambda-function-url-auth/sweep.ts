/**
 * ListFunctions, then each function's URLs with ListFunctionUrlConfigs, both paged (Lambda returns at most 50 items a
 * page). When ListFunctionUrlConfigs cannot be used for a function (an endpoint that does not serve it, as moto 5.2,
 * which answers it with a 404 page; or a role without the permission), the same facts are read with
 * GetFunctionUrlConfig on the function and on each alias (ListAliases): a URL is never lost because one call is
 * missing, and when both ways fail the sweep fails, naming both errors. Tags are read once per function, only when
 * one of its URLs would fail.
 *
 * `sweepFunctionUrlParts` offers the sweep one function at a time (continued across invocations by the cycle of
 * periodic-cycle.ts); `sweepFunctionUrls`, the whole sweep, reads every part: both read URLs the same way.
 *
 * Lambda's control-plane quota is 15 requests a second per API operation (not adjustable, excluding invocation,
 * GetFunction and GetPolicy); each operation draws from its own bucket at 10 a second, leaving room for deployments.
 */
import {
  GetFunctionUrlConfigCommand,
  ListTagsCommand,
  paginateListAliases,
  paginateListFunctionUrlConfigs,
  paginateListFunctions,
  type FunctionConfiguration,
  type FunctionUrlConfig,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { describeError } from '../core/errors';
import { flatString } from '../core/flat-string';
import { RateLimiter, rateLimitFromEnvironment, type Clock, type RateLimit } from '../core/rate-limit';
import { readEveryPart } from '../core/sweep-parts';
import type { SweepContext, SweepPart, SweptResource } from '../core/types';
import { parseFunctionArn } from './decision';
import type { FunctionUrlFacts } from './facts';

/** Functions whose URLs are read at once; the rate limit, not this, bounds the requests per second. */
const URL_READ_CONCURRENCY = 4;
const PAGE_SIZE = 50;

export const LAMBDA_CONTROL_PLANE_LIMIT: RateLimit = { ratePerSecond: 10, burst: 10 };
/** Overrides the per-operation rate (requests per second). */
export const LAMBDA_RATE_VARIABLE = 'AUTHN_PACK_LAMBDA_REQUESTS_PER_SECOND';

type Limiter = Pick<RateLimiter, 'acquire'>;

export function lambdaLimiter(
  limit: RateLimit = rateLimitFromEnvironment(LAMBDA_RATE_VARIABLE, LAMBDA_CONTROL_PLANE_LIMIT),
  clock?: Clock,
): RateLimiter {
  return new RateLimiter(
    {
      ListFunctions: limit,
      ListFunctionUrlConfigs: limit,
      GetFunctionUrlConfig: limit,
      ListAliases: limit,
      ListTags: limit,
      GetFunctionConfiguration: limit,
    },
    undefined,
    clock,
  );
}

const UNLIMITED: Limiter = { acquire: () => Promise.resolve() };

const isNotFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ResourceNotFoundException';

/** One function URL as either call returns it, with the alias it was asked for (the fallback path). */
interface FoundUrl {
  readonly config: Pick<FunctionUrlConfig, 'FunctionArn' | 'FunctionUrl' | 'AuthType'>;
  readonly askedQualifier?: string;
}

async function listUrls(
  client: LambdaClient,
  functionName: string,
  limiter: Limiter,
  checkpoint?: () => void,
): Promise<FoundUrl[]> {
  const found: FoundUrl[] = [];
  const pages = paginateListFunctionUrlConfigs(
    { client, pageSize: PAGE_SIZE },
    { FunctionName: functionName },
  );
  for (;;) {
    checkpoint?.();
    await limiter.acquire('ListFunctionUrlConfigs');
    const next = await pages.next();
    if (next.done === true) break;
    for (const config of next.value.FunctionUrlConfigs ?? []) found.push({ config });
  }
  return found;
}

async function aliasesOf(
  client: LambdaClient,
  functionName: string,
  limiter: Limiter,
  checkpoint?: () => void,
): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateListAliases({ client, pageSize: PAGE_SIZE }, { FunctionName: functionName });
  for (;;) {
    checkpoint?.();
    await limiter.acquire('ListAliases');
    const next = await pages.next();
    if (next.done === true) break;
    for (const alias of next.value.Aliases ?? []) if (alias.Name) names.push(alias.Name);
  }
  return names;
}

/** The URL of the function and of each alias, one GetFunctionUrlConfig each; "no URL" is ResourceNotFound. */
async function getUrls(
  client: LambdaClient,
  functionName: string,
  limiter: Limiter,
  checkpoint?: () => void,
): Promise<FoundUrl[]> {
  let aliases: string[];
  try {
    aliases = await aliasesOf(client, functionName, limiter, checkpoint);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const found: FoundUrl[] = [];
  for (const qualifier of [undefined, ...aliases]) {
    checkpoint?.();
    await limiter.acquire('GetFunctionUrlConfig');
    try {
      const config = await client.send(
        new GetFunctionUrlConfigCommand({
          FunctionName: functionName,
          ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
        }),
      );
      found.push(qualifier === undefined ? { config } : { config, askedQualifier: qualifier });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return found;
}

/** Every URL of one function, by ListFunctionUrlConfigs or, failing that, by GetFunctionUrlConfig. */
export async function urlsOfFunction(
  client: LambdaClient,
  functionName: string,
  limiter: Limiter = UNLIMITED,
  checkpoint?: () => void,
): Promise<FoundUrl[]> {
  try {
    return await listUrls(client, functionName, limiter, checkpoint);
  } catch (listError) {
    // The function was deleted between ListFunctions and now: it has no URL any more.
    if (isNotFound(listError)) return [];
    try {
      return await getUrls(client, functionName, limiter, checkpoint);
    } catch (getError) {
      throw new Error(
        `URLs of function ${functionName} could not be read: ListFunctionUrlConfigs failed (${describeError(listError).slice(0, 120)}) and so did GetFunctionUrlConfig (${describeError(getError).slice(0, 120)})`,
        { cause: getError },
      );
    }
  }
}

/** Facts per URL of one function; the same URL reached twice (an endpoint ignoring the qualifier) counts once. */
export function urlFacts(
  fn: Pick<FunctionConfiguration, 'FunctionName' | 'FunctionArn'>,
  urls: readonly FoundUrl[],
  region: string,
): FunctionUrlFacts[] {
  const seen = new Set<string>();
  const facts: FunctionUrlFacts[] = [];
  for (const { config, askedQualifier } of urls) {
    const parsed = config.FunctionArn === undefined ? undefined : parseFunctionArn(config.FunctionArn);
    const qualifier = parsed?.qualifier ?? askedQualifier;
    const key = config.FunctionUrl ?? qualifier ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    facts.push({
      functionName: fn.FunctionName ?? parsed?.name ?? 'unnamed',
      functionArn: fn.FunctionArn,
      qualifier,
      authType: config.AuthType,
      functionUrl: config.FunctionUrl,
      region,
    });
  }
  return facts;
}

export function urlResourceId(facts: FunctionUrlFacts, context: SweepContext): string {
  const base =
    facts.functionArn ??
    `arn:${context.partition}:lambda:${context.region}:${context.accountId}:function:${facts.functionName}`;
  return flatString(facts.qualifier === undefined ? base : `${base}:${facts.qualifier}`);
}

/**
 * The sweep as one part per function (key: its name, unique in an account and Region): ListFunctions now, each
 * function's URLs (ListFunctionUrlConfigs, or GetFunctionUrlConfig where that fails) when its part is read. A
 * function without a URL is a part that finds nothing. Every part shares the buckets.
 */
export async function sweepFunctionUrlParts(
  client: LambdaClient,
  context: SweepContext,
): Promise<SweepPart<FunctionUrlFacts>[]> {
  const limiter = lambdaLimiter(undefined, context.clock);
  const functions: FunctionConfiguration[] = [];
  const pages = paginateListFunctions({ client, pageSize: PAGE_SIZE }, {});
  for (;;) {
    context.checkpoint?.();
    await limiter.acquire('ListFunctions');
    const next = await pages.next();
    if (next.done === true) break;
    functions.push(...(next.value.Functions ?? []));
  }
  return functions.map((fn): SweepPart<FunctionUrlFacts> => {
    const name = fn.FunctionName ?? fn.FunctionArn;
    if (name === undefined) throw new Error('ListFunctions returned a function with neither name nor ARN');
    return { key: name, read: () => functionUrlResources(client, fn, name, context, limiter) };
  });
}

/** The whole sweep: every part read, URL_READ_CONCURRENCY functions at once (the scan, or no state table). */
export async function sweepFunctionUrls(
  client: LambdaClient,
  context: SweepContext,
): Promise<SweptResource<FunctionUrlFacts>[]> {
  return readEveryPart(await sweepFunctionUrlParts(client, context), URL_READ_CONCURRENCY);
}

/** The swept resources of one function: its URLs, each with the function as the parent holding exception tags. */
export async function functionUrlResources(
  client: LambdaClient,
  fn: FunctionConfiguration,
  name: string,
  context: SweepContext,
  limiter: Limiter,
): Promise<SweptResource<FunctionUrlFacts>[]> {
  const urls = await urlsOfFunction(client, name, limiter, context.checkpoint);
  if (urls.length === 0) return [];
  let tags: Promise<Readonly<Record<string, string>>> | undefined;
  // One ListTags per function, shared by its URLs, and only if one of them would fail.
  const readTags = (): Promise<Readonly<Record<string, string>>> => {
    tags ??= (async () => {
      const arn = fn.FunctionArn;
      if (arn === undefined) throw new Error(`function ${name} has no ARN to read its tags with`);
      await limiter.acquire('ListTags');
      const response = await client.send(new ListTagsCommand({ Resource: arn }));
      return response.Tags ?? {};
    })();
    return tags;
  };
  const parent = { resourceType: 'AWS::Lambda::Function', resourceId: name, resourceName: name };
  return urlFacts(fn, urls, context.region).map((facts): SweptResource<FunctionUrlFacts> => ({
    resourceType: 'AWS::Lambda::Url',
    resourceId: urlResourceId(facts, context),
    resourceName: flatString(
      facts.qualifier === undefined ? facts.functionName : `${facts.functionName}:${facts.qualifier}`,
    ),
    facts,
    tags: readTags,
    parent,
  }));
}
