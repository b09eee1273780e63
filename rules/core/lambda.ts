/** The Lambda entry point shared by every rule: Powertools' structured logger on top of the shared evaluator. */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  createConfigRuleHandler,
  type InvocationResult,
  type LambdaContext,
  type RuleRuntime,
} from './handler';
import type { ParameterSpecs } from './parameters';
import type { RuleDefinition } from './types';

export function createLambdaHandler<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  overrides: Partial<RuleRuntime<Client>> = {},
): (event: unknown, context?: LambdaContext) => Promise<InvocationResult> {
  const logger = new Logger({ serviceName: 'authn-pack', persistentKeys: { control: rule.control } });
  const evaluate = createConfigRuleHandler(rule, {
    ...overrides,
    log: {
      info: (message, extra) => {
        logger.info(message, extra ?? {});
      },
      warn: (message, extra) => {
        logger.warn(message, extra ?? {});
      },
      error: (message, extra) => {
        logger.error(message, extra ?? {});
      },
    },
  });
  return async (event, context) => {
    try {
      return await evaluate(event, context);
    } catch (error) {
      // Log the reason (never the event: items may carry configuration we do not repeat), then fail the invocation.
      logger.error('evaluation failed', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      throw error;
    }
  };
}
