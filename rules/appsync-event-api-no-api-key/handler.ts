import { createLambdaHandler } from '../core/lambda';
import { appsyncEventApiNoApiKey } from './rule';

export const handler = createLambdaHandler(appsyncEventApiNoApiKey);
