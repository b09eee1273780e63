/**
 * The hook's runtime: request → settings → evaluation under a deadline → answer. `hook/handler.ts` is the Lambda
 * entry point; the CLI (`authn-pack invoke hook`) runs the same handler.
 *
 * Settings come from the function's environment, as the CDK app sets them:
 *   AUTHN_PACK_RULE_PARAMETERS            JSON: { "<control id or rule name>": { "<Parameter>": "<value>" } }
 *   AUTHN_PACK_EXCEPTION_TAG_PREFIX       the exception tag prefix (default authn-exception)
 *   AUTHN_PACK_EXCEPTION_REQUIRES_EXPIRY  true: exceptions without an expiry tag are not honoured
 *   AUTHN_PACK_EXECUTION_ROLE_NAME        organization mode: the role to assume in the account a request names
 * Settings that do not parse make every answer FAILED (InternalFailure) with the reason, never SUCCESS.
 */
import {
  assumeExecutionRole,
  clientSettings,
  createStsClient,
  parseArn,
  partitionOfRegion,
} from '../rules/core/clients';
import { EXIT, PackError, describeError } from '../rules/core/errors';
import { todayUtc } from '../rules/core/exceptions';
import { COMMON_PARAMETERS, ruleParameterValues } from '../rules/core/parameters';
import type { AnyRule, ClientSettings } from '../rules/core/types';
import { RULES, findRule } from '../rules/index';
import { SETTLE_DELAY_SECONDS, evaluateHookRequest } from './evaluate';
import {
  MalformedHookRequestError,
  actionOf,
  clientRequestTokenOf,
  parseHookRequest,
  type HookRequest,
} from './request';
import { respond, type HookResponse } from './response';

/**
 * The Hooks service waits up to 30 s for a Lambda hook to answer (Hooks User Guide, "Developing a Lambda Hook").
 * 25 s of work leaves 5 s for the invocation around it (a cold start of the bundle is measured by `npm run bench`).
 */
export const HOOK_BUDGET_MS = 25_000;
/** What is kept back from Lambda's own remaining time, to answer at all. */
const ANSWER_MARGIN_MS = 1_000;

export const ENVIRONMENT = {
  ruleParameters: 'AUTHN_PACK_RULE_PARAMETERS',
  exceptionTagPrefix: 'AUTHN_PACK_EXCEPTION_TAG_PREFIX',
  exceptionRequiresExpiry: 'AUTHN_PACK_EXCEPTION_REQUIRES_EXPIRY',
  executionRoleName: 'AUTHN_PACK_EXECUTION_ROLE_NAME',
} as const;

/** The hook function's environment does not hold settings it can use. Every answer is FAILED until it is fixed. */
export class HookSettingsError extends PackError {
  override readonly name = 'HookSettingsError';
  readonly code = 'hook-settings';
  readonly exitStatus = EXIT.usage;
}

export interface HookSettings {
  readonly parameters: ReadonlyMap<AnyRule, Record<string, unknown>>;
  readonly exceptionPrefix: string;
  readonly requiresExpiry: boolean;
  readonly executionRoleName?: string;
}

/** The settings from the environment; throws with the variable and what is wrong with it. */
export function readHookSettings(
  env: Readonly<Record<string, string | undefined>>,
  rules: readonly AnyRule[] = RULES,
): HookSettings {
  const raw = env[ENVIRONMENT.ruleParameters]?.trim() ?? '';
  let given: unknown = {};
  if (raw !== '') {
    try {
      given = JSON.parse(raw) as unknown;
    } catch (error) {
      throw new HookSettingsError(`${ENVIRONMENT.ruleParameters} is not JSON: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new HookSettingsError(`${ENVIRONMENT.ruleParameters} must be a JSON object of rules`);
  }
  const byRule = new Map<AnyRule, Record<string, string>>();
  for (const [name, values] of Object.entries(given)) {
    const rule = findRule(name);
    if (rule === undefined) throw new HookSettingsError(`${ENVIRONMENT.ruleParameters}: no rule "${name}"`);
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new HookSettingsError(
        `${ENVIRONMENT.ruleParameters}: ${rule.control} must map to an object of parameters`,
      );
    }
    const texts: Record<string, string> = {};
    for (const [parameter, value] of Object.entries(values as Record<string, unknown>)) {
      if (rule.parameters[parameter] === undefined) {
        throw new HookSettingsError(
          `${ENVIRONMENT.ruleParameters}: ${rule.control} has no parameter "${parameter}"`,
        );
      }
      if (typeof value !== 'string') {
        throw new HookSettingsError(
          `${ENVIRONMENT.ruleParameters}: ${rule.control}.${parameter} must be a string`,
        );
      }
      texts[parameter] = value;
    }
    byRule.set(rule, texts);
  }
  const parameters = new Map<AnyRule, Record<string, unknown>>();
  for (const rule of rules)
    parameters.set(rule, ruleParameterValues(rule.parameters, byRule.get(rule) ?? {}));
  const roleName = env[ENVIRONMENT.executionRoleName]?.trim();
  const checkedRole = COMMON_PARAMETERS.ExecutionRoleName.parse(roleName, ENVIRONMENT.executionRoleName);
  return {
    parameters,
    exceptionPrefix: COMMON_PARAMETERS.ExceptionTagPrefix.parse(
      env[ENVIRONMENT.exceptionTagPrefix],
      ENVIRONMENT.exceptionTagPrefix,
    ),
    requiresExpiry: COMMON_PARAMETERS.ExceptionRequiresExpiry.parse(
      env[ENVIRONMENT.exceptionRequiresExpiry],
      ENVIRONMENT.exceptionRequiresExpiry,
    ),
    ...(checkedRole === undefined ? {} : { executionRoleName: checkedRole }),
  };
}

/** The part of Lambda's context the hook uses. */
export interface HookLambdaContext {
  readonly getRemainingTimeInMillis?: () => number;
}

/** What the handler touches outside itself, so tests and the CLI can supply their own. */
export interface HookRuntime {
  readonly rules: readonly AnyRule[];
  /** Settings, or why they could not be read. */
  readonly settings: () => HookSettings;
  readonly createClient: (rule: AnyRule, settings: ClientSettings) => unknown;
  /** Credentials for the account a request names (organization mode), or undefined for the function's own. */
  readonly credentialsFor: (
    request: HookRequest,
    settings: HookSettings,
  ) => Promise<ClientSettings['credentials']>;
  readonly now: () => Date;
  readonly budgetMs: number;
  readonly region?: string;
  readonly log: {
    info(message: string, extra?: Record<string, unknown>): void;
    error(message: string, extra?: Record<string, unknown>): void;
  };
}

class DeadlineError extends Error {
  constructor(readonly budgetMs: number) {
    super(`no answer within ${budgetMs} ms`);
    this.name = 'DeadlineError';
  }
}

/** Rejects when the signal aborts, so work that ignores the signal cannot hold the answer. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    });
  });
}

/** Member-account credentials by account, reused until shortly before they expire (each is an STS call). */
function assumedCredentials(): HookRuntime['credentialsFor'] {
  const cache = new Map<string, NonNullable<ClientSettings['credentials']>>();
  return async (request, settings) => {
    const roleName = settings.executionRoleName;
    if (roleName === undefined) return undefined;
    const accountId = request.accountId;
    if (accountId === undefined || !/^\d{12}$/.test(accountId)) {
      throw new Error(
        'the request names no account (awsAccountId), so the member execution role cannot be assumed',
      );
    }
    const cached = cache.get(accountId);
    if (cached?.expiration !== undefined && cached.expiration.getTime() - Date.now() > 5 * 60_000)
      return cached;
    const region = process.env.AWS_REGION ?? 'us-east-1';
    const partition = parseArn(request.stackId)?.partition ?? partitionOfRegion(region);
    const credentials = await assumeExecutionRole(createStsClient(clientSettings()), {
      partition,
      accountId,
      roleName,
      sessionName: 'authn-pack-hook',
    });
    cache.set(accountId, credentials);
    return credentials;
  };
}

export function defaultHookRuntime(overrides: Partial<HookRuntime> = {}): HookRuntime {
  let settings: HookSettings | Error | undefined;
  return {
    rules: RULES,
    settings: () => {
      settings ??= (() => {
        try {
          return readHookSettings(process.env);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      })();
      if (settings instanceof Error) throw settings;
      return settings;
    },
    createClient: (rule, clientConfig) => rule.service.createClient(clientConfig),
    credentialsFor: assumedCredentials(),
    now: () => new Date(),
    budgetMs: HOOK_BUDGET_MS,
    log: { info: () => undefined, error: () => undefined },
    ...overrides,
  };
}

/** The hook's answer to one request; it never throws (a thrown error would reach CloudFormation as no answer). */
export function createHookHandler(
  overrides: Partial<HookRuntime> = {},
): (event: unknown, context?: HookLambdaContext) => Promise<HookResponse> {
  const runtime = defaultHookRuntime(overrides);
  const clients = new Map<string, unknown>();
  return async (event, context) => {
    const token = clientRequestTokenOf(event);
    const tokenOption = token === undefined ? {} : { token };
    // A delete is never blocked, whatever else the request says or lacks.
    if (actionOf(event) === 'DELETE') {
      return respond('SUCCESS', 'authn-pack never blocks a delete.', tokenOption);
    }
    let request: HookRequest;
    try {
      request = parseHookRequest(event);
    } catch (error) {
      const reason = error instanceof MalformedHookRequestError ? error.message : describeError(error);
      runtime.log.error('malformed hook request', { reason });
      return respond('FAILED', `authn-pack: ${reason}. Nothing was judged, so the hook fails closed.`, {
        ...tokenOption,
        errorCode: 'InternalFailure',
      });
    }
    let settings: HookSettings;
    try {
      settings = runtime.settings();
    } catch (error) {
      return respond(
        'FAILED',
        `authn-pack: the hook's settings are invalid (${describeError(error)}); nothing was judged, so the hook fails closed. Fix the function's environment.`,
        { ...tokenOption, errorCode: 'InternalFailure' },
      );
    }
    const remaining = context?.getRemainingTimeInMillis?.call(context);
    const budgetMs = Math.max(
      0,
      Math.min(runtime.budgetMs, remaining === undefined ? Infinity : remaining - ANSWER_MARGIN_MS),
    );
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new DeadlineError(budgetMs));
    }, budgetMs);
    timer.unref();
    let response: HookResponse;
    try {
      response = await Promise.race([
        evaluateHookRequest(request, {
          rules: runtime.rules,
          parameters: (rule) => settings.parameters.get(rule) ?? ruleParameterValues(rule.parameters, {}),
          exceptions: {
            prefix: settings.exceptionPrefix,
            requiresExpiry: settings.requiresExpiry,
            today: todayUtc(runtime.now()),
          },
          clientFor: async (rule, forRequest) => {
            const credentials = await runtime.credentialsFor(forRequest, settings);
            // Hooks are regional: the stack's Region is where its resources are (unless told otherwise).
            const region = runtime.region ?? parseArn(forRequest.stackId)?.region;
            const key = [rule.service.name, region ?? '', credentials?.accessKeyId ?? 'own'].join('/');
            let client = clients.get(key);
            if (client === undefined) {
              client = runtime.createClient(rule, clientSettings(region, credentials));
              clients.set(key, client);
            }
            return client;
          },
          signal: controller.signal,
        }),
        whenAborted(controller.signal),
      ]);
    } catch (error) {
      const late = error instanceof DeadlineError || controller.signal.aborted;
      response = respond(
        'FAILED',
        late
          ? `authn-pack: ${request.logicalId} (${request.resourceType}) could not be judged within ${budgetMs} ms (the Hooks service waits 30 s for a Lambda hook), so the hook fails closed. Retry the operation; if it persists, check that the services the hook reads answer.`
          : `authn-pack: ${request.logicalId} (${request.resourceType}) could not be judged: ${describeError(error)}. The hook fails closed.`,
        { ...tokenOption, errorCode: 'InternalFailure' },
      );
    } finally {
      clearTimeout(timer);
    }
    runtime.log.info('hook answered', {
      resourceType: request.resourceType,
      logicalId: request.logicalId,
      action: request.action,
      invocation: request.invocation,
      hookStatus: response.hookStatus,
      ...(response.errorCode === undefined ? {} : { errorCode: response.errorCode }),
      ...(response.callbackDelaySeconds === undefined ? {} : { retryInSeconds: SETTLE_DELAY_SECONDS }),
    });
    return response;
  };
}
