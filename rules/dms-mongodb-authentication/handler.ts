import { createLambdaHandler } from '../core/lambda';
import { dmsMongodbAuthentication } from './rule';

export const handler = createLambdaHandler(dmsMongodbAuthentication);
