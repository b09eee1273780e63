import { createLambdaHandler } from '../core/lambda';
import { neptuneIamAuth } from './rule';

export const handler = createLambdaHandler(neptuneIamAuth);
