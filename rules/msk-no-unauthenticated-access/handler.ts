import { createLambdaHandler } from '../core/lambda';
import { mskNoUnauthenticatedAccess } from './rule';

export const handler = createLambdaHandler(mskNoUnauthenticatedAccess);
