/** The sample GraphQL APIs: API keys only, API keys beside IAM, and IAM alone. */
import { AppSyncClient, CreateGraphqlApiCommand } from '@aws-sdk/client-appsync';
import type { RuleSample, SampleClientSettings } from '../core/sample';

export async function seedAppSync(settings: SampleClientSettings): Promise<void> {
  const client = new AppSyncClient(settings);
  await client.send(new CreateGraphqlApiCommand({ name: 'reviews-public', authenticationType: 'API_KEY' }));
  await client.send(
    new CreateGraphqlApiCommand({
      name: 'catalog',
      authenticationType: 'AWS_IAM',
      additionalAuthenticationProviders: [{ authenticationType: 'API_KEY' }],
    }),
  );
  await client.send(new CreateGraphqlApiCommand({ name: 'orders-graph', authenticationType: 'AWS_IAM' }));
}

export const sample: RuleSample = { event: 'appsync-api-key-only.json', seed: seedAppSync };
