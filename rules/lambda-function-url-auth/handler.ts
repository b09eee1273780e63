import { createLambdaHandler } from '../core/lambda';
import { stateRuntime } from '../core/sweep-progress-dynamodb';
import { lambdaFunctionUrlAuth } from './rule';

// The sweep keeps its progress across invocations in the state table (AUTHN_PACK_STATE_TABLE); without one, it must
// finish in one invocation.
export const handler = createLambdaHandler(lambdaFunctionUrlAuth, stateRuntime());
