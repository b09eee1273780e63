import { changeStoreFromEnvironment } from '../core/change-store';
import { createLambdaHandler } from '../core/lambda';
import { stateRuntime } from '../core/sweep-progress-dynamodb';
import { elasticacheRedisAuth } from './rule';

// Change events reach this rule through the state table (AUTHN_PACK_STATE_TABLE), and there its sweep keeps its
// progress across invocations; without one, the schedule alone and a sweep that must finish in one invocation.
export const handler = createLambdaHandler(elasticacheRedisAuth, {
  changeStore: changeStoreFromEnvironment,
  ...stateRuntime(),
});
