/**
 * The CloudFormation Lambda hook's entry point (bundled alone, like each rule's function): `handler`.
 * See hook/runtime.ts for the settings it reads from its environment.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHookHandler } from './runtime';

const logger = new Logger({ serviceName: 'authn-pack', persistentKeys: { component: 'hook' } });

/** The Lambda entry point. Logs say what was answered, never the request (its properties may hold secrets). */
export const handler = createHookHandler({
  log: {
    info: (message, extra) => {
      logger.info(message, extra ?? {});
    },
    error: (message, extra) => {
      logger.error(message, extra ?? {});
    },
  },
});
