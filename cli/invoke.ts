/**
 * `authn-pack invoke <control> --event <file|->`: runs a rule's real Lambda handler on a captured Config event,
 * the local debugging loop. With --dry-run no Config call is made and the evaluations are printed instead.
 * `authn-pack invoke hook --event <file|->` runs the CloudFormation Lambda hook's handler on a captured hook request
 * and prints its response.
 */
import { evaluationToJson } from '../rules/core/delivery';
import { describeError } from '../rules/core/errors';
import { createConfigRuleHandler } from '../rules/core/handler';
import { createHookHandler } from '../hook/runtime';
import type { Log } from '../rules/core/log';
import { RULES, findRule } from '../rules/index';
import { UsageError, readInput, type Output } from './io';

export interface InvokeOptions {
  readonly event: string;
  readonly dryRun: boolean;
  readonly region?: string;
}

/** The name `invoke` takes for the deploy-time hook instead of a control. */
export const HOOK_TARGET = 'hook';

async function readJson(options: InvokeOptions, what: string): Promise<unknown> {
  const text = await readInput(options.event);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(
      `the ${what} in ${options.event === '-' ? 'standard input' : options.event} is not JSON: ${describeError(error)}`,
    );
  }
}

/**
 * The hook's real handler on one request. Service reads go wherever the SDK configuration points (AWS_REGION,
 * AWS_ENDPOINT_URL, profiles); the hook's settings are read from the same environment variables as in Lambda.
 */
export async function invokeHook(options: InvokeOptions, output: Output): Promise<number> {
  const request = await readJson(options, 'hook request');
  const handler = createHookHandler({
    ...(options.region === undefined ? {} : { region: options.region }),
    log: {
      info: () => undefined,
      error: (message, extra) => {
        output.stderr(`error: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
      },
    },
  });
  const response = await handler(request);
  output.stdout(`${JSON.stringify(response, null, 2)}\n`);
  return 0;
}

export async function invoke(control: string, options: InvokeOptions, output: Output): Promise<number> {
  if (control.toLowerCase() === HOOK_TARGET) return invokeHook(options, output);
  const rule = findRule(control);
  if (rule === undefined) {
    throw new UsageError(
      `unknown control "${control}"; one of ${RULES.map((r) => `${r.control} (${r.ruleName})`).join(', ')}, or ${HOOK_TARGET} for the deploy-time hook`,
    );
  }
  const event = await readJson(options, 'event');
  const log: Log = {
    info: () => undefined,
    warn: (message, extra) => {
      output.stderr(`warning: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
    },
    error: (message, extra) => {
      output.stderr(`error: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
    },
  };
  const handler = createConfigRuleHandler(rule, {
    dryRun: options.dryRun,
    log,
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  const result = await handler(event);
  if (options.dryRun && rule.trigger.kind === 'periodic') {
    output.stderr('dry run: stale cleanup skipped (it reads Config compliance results, a Config call)\n');
  }
  if (!options.dryRun) output.stderr(`delivered ${result.delivered} evaluation(s) to Config\n`);
  output.stdout(`${JSON.stringify({ evaluations: result.evaluations.map(evaluationToJson) }, null, 2)}\n`);
  return 0;
}
