import { createLambdaHandler } from '../core/lambda';
import { apigwv2RouteAuthorization } from './rule';

export const handler = createLambdaHandler(apigwv2RouteAuthorization);
