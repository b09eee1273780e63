/**
 * Oversized notifications carry only a summary of the configuration item: the item itself is fetched with
 * GetResourceConfigHistory (the item captured at the notification's capture time, limit 1).
 */
import { GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';
import { fromApiConfigurationItem } from './config-event';
import { MalformedEventError, describeError } from './errors';
import type { Invocation } from './invocation';
import type { ParameterSpecs } from './parameters';
import { withRetries } from './retry';
import type { ConfigurationItem } from './types';

export interface OversizedSummary {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly configurationItemStatus: string;
  readonly configurationItemCaptureTime: string;
}

/** The item, or why it could not be read (the caller fails closed on the resource). */
export type FetchedItem =
  { readonly item: ConfigurationItem } | { readonly item: undefined; readonly problem: string };

export async function fetchOversizedItem<Facts, Client, P extends ParameterSpecs>(
  invocation: Invocation<Facts, Client, P>,
  summary: OversizedSummary,
): Promise<FetchedItem> {
  const { runtime } = invocation;
  if (runtime.dryRun) {
    throw new MalformedEventError(
      'an oversized notification carries no configuration, and fetching it (GetResourceConfigHistory) is a Config ' +
        'call that --dry-run does not make. Pass the full item as a ConfigurationItemChangeNotification, or run without --dry-run.',
    );
  }
  const client = await invocation.configClient();
  try {
    const response = await withRetries(runtime.retry, () =>
      client.send(
        new GetResourceConfigHistoryCommand({
          resourceType: summary.resourceType as never,
          resourceId: summary.resourceId,
          laterTime: new Date(summary.configurationItemCaptureTime),
          limit: 1,
        }),
      ),
    );
    const first = response.configurationItems?.[0];
    if (first !== undefined) return { item: fromApiConfigurationItem(first) };
    return { item: undefined, problem: 'Config returned no configuration item' };
  } catch (error) {
    const problem = describeError(error);
    runtime.log.error('GetResourceConfigHistory failed', { resourceId: summary.resourceId, error: problem });
    return { item: undefined, problem };
  }
}
