import { createLambdaHandler } from '../core/lambda';
import { appsyncNoApiKey } from './rule';

export const handler = createLambdaHandler(appsyncNoApiKey);
