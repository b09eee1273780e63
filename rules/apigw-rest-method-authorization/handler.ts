import { createLambdaHandler } from '../core/lambda';
import { apigwRestMethodAuthorization } from './rule';

export const handler = createLambdaHandler(apigwRestMethodAuthorization);
