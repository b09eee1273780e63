import { createLambdaHandler } from '../core/lambda';
import { lambdaFunctionUrlAuth } from './rule';

export const handler = createLambdaHandler(lambdaFunctionUrlAuth);
