/**
 * The changed functions only: GetFunctionConfiguration (is it there, and its ARN), then its URLs as the sweep reads
 * them (ListFunctionUrlConfigs, or GetFunctionUrlConfig per alias where that is not served), and ListTags only when a
 * URL would fail. A function that Lambda no longer finds (ResourceNotFoundException) is gone: its URLs are reported
 * no longer found.
 */
import {
  GetFunctionConfigurationCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { KeyReading } from '../core/change-events';
import { mapConcurrent } from '../core/concurrency';
import { isErrorNamed } from '../core/errors';
import type { SweepContext } from '../core/types';
import type { FunctionUrlFacts } from './facts';
import { functionUrlResources, lambdaLimiter } from './sweep';

/** Functions read at once; the rate limit, not this, bounds the requests per second. */
const FUNCTION_READ_CONCURRENCY = 4;

/** `arn:…:function:orders:$LATEST` → `arn:…:function:orders`: the ARN the sweep reports URLs under. */
function unqualified(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}

export async function rereadFunctions(
  client: LambdaClient,
  functionNames: readonly string[],
  context: SweepContext,
): Promise<KeyReading<FunctionUrlFacts>[]> {
  const limiter = lambdaLimiter(undefined, context.clock);
  return mapConcurrent(
    functionNames,
    FUNCTION_READ_CONCURRENCY,
    async (name): Promise<KeyReading<FunctionUrlFacts>> => {
      const arn = `arn:${context.partition}:lambda:${context.region}:${context.accountId}:function:${name}`;
      // The function's own URL is reported under its ARN, an alias's under `<ARN>:<alias>`.
      const reportedUnder = { exactId: arn, idPrefix: `${arn}:` };
      context.checkpoint?.();
      await limiter.acquire('GetFunctionConfiguration');
      let fn: FunctionConfiguration;
      try {
        fn = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      } catch (error) {
        if (isErrorNamed(error, 'ResourceNotFoundException'))
          return { key: name, gone: true, resources: [], reportedUnder };
        throw error;
      }
      const resources = await functionUrlResources(
        client,
        {
          FunctionName: fn.FunctionName ?? name,
          FunctionArn: fn.FunctionArn === undefined ? arn : unqualified(fn.FunctionArn),
        },
        fn.FunctionName ?? name,
        context,
        limiter,
      );
      return { key: name, gone: false, resources, reportedUnder };
    },
  );
}
