/**
 * The deploy-time hook on Event API requests: an `AWS::AppSync::Api` is judged on its properties; a channel
 * namespace reads its Event API live (GetApi) with the real handler and SDK client against moto_server.
 */
import { expect } from 'chai';
import { AppSyncClient, CreateApiCommand, type AuthenticationType } from '@aws-sdk/client-appsync';
import type { ClientSettings } from '../../../rules/core/types';
import { emulatorClientSettings } from '../../../scripts/emulator';
import { useEmulator } from '../../helpers/emulator';
import { hookRequest, testHookHandler, REGION } from '../../helpers/hook';

const NAMESPACE = 'AWS::AppSync::ChannelNamespace';

describe('rules/appsync-event-api-no-api-key/hook: Event APIs and their namespaces at deploy', function () {
  this.timeout(60_000);

  describe('an AWS::AppSync::Api request, judged on its resolved properties', () => {
    const handler = testHookHandler();
    const api = (connect: string, subscribe: string): Record<string, unknown> => ({
      Name: 'scores',
      EventConfig: {
        AuthProviders: [{ AuthType: 'AWS_IAM' }, { AuthType: 'API_KEY' }],
        ConnectionAuthModes: [{ AuthType: connect }],
        DefaultPublishAuthModes: [{ AuthType: 'AWS_IAM' }],
        DefaultSubscribeAuthModes: [{ AuthType: subscribe }],
      },
    });

    it('fails an Event API whose subscribers may use an API key, with the fix', async () => {
      // Act
      const response = await handler(
        hookRequest('AWS::AppSync::Api', 'ScoresApi', api('AWS_IAM', 'API_KEY')),
      );
      // Assess
      expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
      for (const words of [
        'AUTHN-APPSYNC-EVENTS',
        'ScoresApi',
        'AWS::AppSync::Api',
        'accepts API keys (default subscribe)',
        'Fix: remove API_KEY',
      ])
        expect(response.message).to.include(words);
    });

    it('passes an Event API on IAM (an unused API_KEY provider accepts nobody)', async () => {
      // Act
      const response = await handler(
        hookRequest('AWS::AppSync::Api', 'ScoresApi', api('AWS_IAM', 'AWS_IAM')),
      );
      // Assess
      expect(response.hookStatus, response.message).to.equal('SUCCESS');
      expect(response.message).to.include('authenticates every connection');
    });
  });

  describe('an AWS::AppSync::ChannelNamespace request, with its Event API read live', () => {
    const emulator = useEmulator();
    const handlerAt = (endpoint: string): ReturnType<typeof testHookHandler> =>
      testHookHandler({
        createClient: (rule, settings: ClientSettings) =>
          rule.service.createClient({ ...settings, ...emulatorClientSettings(endpoint, REGION) }),
      });

    async function createApi(
      subscribe: AuthenticationType,
      tags: Record<string, string> = {},
    ): Promise<string> {
      const client = new AppSyncClient(emulatorClientSettings(emulator.current().endpoint, REGION));
      const iam = [{ authType: 'AWS_IAM' as const }];
      const created = await client.send(
        new CreateApiCommand({
          name: 'scores',
          tags,
          eventConfig: {
            authProviders: [...iam, { authType: 'API_KEY' }],
            connectionAuthModes: iam,
            defaultPublishAuthModes: iam,
            defaultSubscribeAuthModes: [{ authType: subscribe }],
          },
        }),
      );
      return created.api?.apiId ?? '';
    }

    const namespace = (apiId: string, modes: Record<string, unknown> = {}): ReturnType<typeof hookRequest> =>
      hookRequest(NAMESPACE, 'LiveNamespace', { ApiId: apiId, Name: 'live', ...modes });

    it('fails a namespace that lets publishers in with a key, on an API that is on IAM', async () => {
      // Prepare
      const apiId = await createApi('AWS_IAM');
      // Act
      const response = await handlerAt(emulator.current().endpoint)(
        namespace(apiId, { PublishAuthModes: [{ AuthType: 'API_KEY' }] }),
      );
      // Assess
      expect(response).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
      expect(response.message).to.include('LiveNamespace');
      expect(response.message).to.include('accepts API keys (namespace "live" publish)');
    });

    it('passes a namespace that inherits an API on IAM', async () => {
      // Prepare
      const apiId = await createApi('AWS_IAM');
      // Act
      const response = await handlerAt(emulator.current().endpoint)(namespace(apiId));
      // Assess
      expect(response.hookStatus, response.message).to.equal('SUCCESS');
    });

    it('fails a namespace on an API whose default accepts keys, whether it inherits the default or overrides it', async () => {
      // Prepare
      const apiId = await createApi('API_KEY');
      const handler = handlerAt(emulator.current().endpoint);
      // Act
      const inherits = await handler(namespace(apiId));
      const overrides = await handler(
        namespace(apiId, {
          SubscribeAuthModes: [{ AuthType: 'AWS_IAM' }],
          PublishAuthModes: [{ AuthType: 'AWS_IAM' }],
        }),
      );
      // Assess
      expect(inherits).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
      expect(inherits.message).to.include('accepts API keys (default subscribe)');
      // The verdict is the Event API's, as the Config rule's is: its own default still accepts keys.
      expect(overrides).to.deep.include({ hookStatus: 'FAILED', errorCode: 'NonCompliant' });
    });

    it("honours the exception tags on the namespace's Event API", async () => {
      // Prepare
      const apiId = await createApi('API_KEY', {
        'authn-exception/AUTHN-APPSYNC-EVENTS': 'public scoreboard feed, subscribe only',
      });
      // Act
      const response = await handlerAt(emulator.current().endpoint)(namespace(apiId));
      // Assess
      expect(response.hookStatus, response.message).to.equal('SUCCESS');
      expect(response.message).to.include('public scoreboard feed, subscribe only');
    });

    it('asks again while the Event API is not found, and fails closed naming GetApi when it cannot be read', async () => {
      // Act
      const missing = await handlerAt(emulator.current().endpoint)(namespace('nosuchapi0000000000000000'));
      const unreachable = await handlerAt('http://127.0.0.1:9')(namespace('nosuchapi0000000000000000'));
      // Assess
      expect(missing.hookStatus, missing.message).to.equal('IN_PROGRESS');
      expect(missing.message).to.include('was not found (GetApi)');
      expect(unreachable).to.deep.include({ hookStatus: 'FAILED', errorCode: 'InternalFailure' });
      expect(unreachable.message).to.include('could not be read (GetApi)');
    });
  });
});
