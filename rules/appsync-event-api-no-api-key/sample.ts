/**
 * Event APIs: a public scoreboard whose subscribers use an API key, documented as an exception; a chat API on IAM
 * whose `moderation` namespace lets publishers in with a key; an orders feed on IAM whose namespace inherits it.
 */
import { AppSyncClient, CreateApiCommand, CreateChannelNamespaceCommand } from '@aws-sdk/client-appsync';
import type { RuleSample, SampleClientSettings } from '../core/sample';

const IAM = [{ authType: 'AWS_IAM' as const }];
const KEY = [{ authType: 'API_KEY' as const }];

export async function seedEventApis(settings: SampleClientSettings, today: Date): Promise<void> {
  const client = new AppSyncClient(settings);
  const nextYear = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), 1))
    .toISOString()
    .slice(0, 10);
  await client.send(
    new CreateApiCommand({
      name: 'scoreboard',
      tags: {
        team: 'sports',
        'authn-exception/AUTHN-APPSYNC-EVENTS': 'public scoreboard feed, subscribe only, no personal data',
        'authn-exception-expires/AUTHN-APPSYNC-EVENTS': nextYear,
      },
      eventConfig: {
        authProviders: [...KEY, ...IAM],
        connectionAuthModes: [...KEY, ...IAM],
        defaultPublishAuthModes: IAM,
        defaultSubscribeAuthModes: KEY,
      },
    }),
  );
  const chat = await client.send(
    new CreateApiCommand({
      name: 'chat',
      tags: { team: 'social' },
      eventConfig: {
        authProviders: [...IAM, ...KEY],
        connectionAuthModes: IAM,
        defaultPublishAuthModes: IAM,
        defaultSubscribeAuthModes: IAM,
      },
    }),
  );
  await client.send(new CreateChannelNamespaceCommand({ apiId: chat.api?.apiId, name: 'rooms' }));
  await client.send(
    new CreateChannelNamespaceCommand({
      apiId: chat.api?.apiId,
      name: 'moderation',
      publishAuthModes: KEY,
      subscribeAuthModes: IAM,
    }),
  );
  const orders = await client.send(
    new CreateApiCommand({
      name: 'orders-events',
      tags: { team: 'orders' },
      eventConfig: {
        authProviders: IAM,
        connectionAuthModes: IAM,
        defaultPublishAuthModes: IAM,
        defaultSubscribeAuthModes: IAM,
      },
    }),
  );
  await client.send(new CreateChannelNamespaceCommand({ apiId: orders.api?.apiId, name: 'orders' }));
}

export const sample: RuleSample = { event: 'scheduled.json', seed: seedEventApis };
