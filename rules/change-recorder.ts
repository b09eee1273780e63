/**
 * Lambda entry of the change recorder (the EventBridge rule's target): every rule of the registry that declares
 * change events. Single account: Config is called with the function's own role. Organization: the event names the
 * member account, and the recorder assumes the member execution role there (`AUTHN_PACK_EXECUTION_ROLE_NAME`).
 */
import { StartConfigRulesEvaluationCommand } from '@aws-sdk/client-config-service';
import { Logger } from '@aws-lambda-powertools/logger';
import { createConfigClient, createStsClient, partitionOfRegion } from './core/clients';
import { recordChange, type RecorderDependencies, type RecordOutcome } from './core/change-recorder';
import { DynamoChangeStore } from './core/change-store';
import { lazyClientSettings } from './core/execution-role';
import { createStateClient, stateTableFromEnvironment, STATE_TABLE_VARIABLE } from './core/state-store';
import { RULES } from './index';

export const EXECUTION_ROLE_VARIABLE = 'AUTHN_PACK_EXECUTION_ROLE_NAME';

function defaultDependencies(): RecorderDependencies {
  const table = stateTableFromEnvironment();
  if (table === undefined)
    throw new Error(`${STATE_TABLE_VARIABLE} is not set: the recorder has nowhere to record`);
  const roleName = process.env[EXECUTION_ROLE_VARIABLE]?.trim() || undefined;
  const logger = new Logger({ serviceName: 'authn-pack-change-recorder' });
  return {
    rules: RULES,
    store: new DynamoChangeStore(createStateClient(process.env.AWS_REGION), table),
    startEvaluation: async ({ account, region, configRuleName }) => {
      const settings = lazyClientSettings(
        {
          ruleName: configRuleName,
          control: 'changes',
          accountId: account,
          partition: partitionOfRegion(region),
          region,
          roleName,
        },
        createStsClient,
      );
      const config = createConfigClient(await settings());
      await config.send(new StartConfigRulesEvaluationCommand({ ConfigRuleNames: [configRuleName] }));
    },
    // A stand-alone rule is named as the registry names it; conformance-pack rules are told by their first run.
    knownRuleName: (rule) => (roleName === undefined ? rule.ruleName : undefined),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: {
      info: (message, details) => {
        logger.info(message, details ?? {});
      },
      warn: (message, details) => {
        logger.warn(message, details ?? {});
      },
      error: (message, details) => {
        logger.error(message, details ?? {});
      },
    },
  };
}

let dependencies: RecorderDependencies | undefined;

export async function handler(event: unknown): Promise<readonly RecordOutcome[]> {
  dependencies ??= defaultDependencies();
  return recordChange(event, dependencies);
}
