import { createLambdaHandler } from '../core/lambda';
import { elasticacheRedisAuth } from './rule';

export const handler = createLambdaHandler(elasticacheRedisAuth);
