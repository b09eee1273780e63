import { changeStoreFromEnvironment } from '../core/change-store';
import { createLambdaHandler } from '../core/lambda';
import { apigwv2RouteAuthorization } from './rule';

// Change events reach this rule through the state table (AUTHN_PACK_STATE_TABLE); without one, the schedule alone.
export const handler = createLambdaHandler(apigwv2RouteAuthorization, {
  changeStore: changeStoreFromEnvironment,
});
