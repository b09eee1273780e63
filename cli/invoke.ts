/**
 * `authn-pack invoke <control> --event <file|->`: runs a rule's real Lambda handler on a captured Config event,
 * the local debugging loop. With --dry-run no Config call is made and the evaluations are printed instead.
 */
import { evaluationToJson } from '../rules/core/delivery';
import { describeError } from '../rules/core/errors';
import { createConfigRuleHandler } from '../rules/core/handler';
import type { Log } from '../rules/core/log';
import { RULES, findRule } from '../rules/index';
import { UsageError, readInput, type Output } from './io';

export interface InvokeOptions {
  readonly event: string;
  readonly dryRun: boolean;
  readonly region?: string;
}

export async function invoke(control: string, options: InvokeOptions, output: Output): Promise<number> {
  const rule = findRule(control);
  if (rule === undefined) {
    throw new UsageError(
      `unknown control "${control}"; one of ${RULES.map((r) => `${r.control} (${r.ruleName})`).join(', ')}`,
    );
  }
  const text = await readInput(options.event);
  let event: unknown;
  try {
    event = JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(
      `the event in ${options.event === '-' ? 'standard input' : options.event} is not JSON: ${describeError(error)}`,
    );
  }
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
