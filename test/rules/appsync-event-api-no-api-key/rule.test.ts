import {
  AppSyncClient,
  GetApiCommand,
  ListApisCommand,
  ListChannelNamespacesCommand,
  NotFoundException,
} from '@aws-sdk/client-appsync';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  eventApiRemediation,
  eventApiRemediationHint,
} from '../../../rules/appsync-event-api-no-api-key/decision';
import type { EventApiFacts } from '../../../rules/appsync-event-api-no-api-key/facts';
import { appsyncEventApiNoApiKey as rule } from '../../../rules/appsync-event-api-no-api-key/rule';
import { decideSwept } from '../../../rules/core/decide';
import type { Compliance } from '../../../rules/core/types';
import { ACCOUNT, REGION } from '../../helpers/events';
import {
  RuleTester,
  SWEEP_CONTEXT,
  testExceptions,
  type ExceptionCase,
  type VerdictCase,
} from '../../helpers/rule-tester';

const TODAY = '2026-10-03';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });
const PARAMS = { ReportUnchanged: false, RefreshAfterDays: 30 };
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'appsync-event-api-no-api-key');
const SCOREBOARD = 'public scoreboard feed, subscribe only, no personal data';
const IDS = {
  chat: 'k3v7q2m9x4b8n1c6z5t0w2r7yh',
  ordersEvents: 'p8d2f6j1s9l4a7e3u0o5i2g8qm',
  scoreboard: 'w1e5r9t3y7u2i6o0p4a8s3d7fb',
  legacyFeed: 'z9x3c7v1b5n8m2q6w0e4r7t1yk',
} as const;
const arnOf = (apiId: string): string => `arn:aws:appsync:${REGION}:${ACCOUNT}:apis/${apiId}`;

/** AppSync's timestamps are epoch seconds on the wire (API reference: `"created": number`); the SDK makes Dates. */
function withDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDates);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      (key === 'created' || key === 'lastModified') && typeof item === 'number'
        ? new Date(item * 1000)
        : withDates(item),
    ]),
  );
}

/** An AppSync API answer as the service returns it, from test/fixtures/appsync-event-api-no-api-key. */
function answer(name: string): Record<string, unknown> {
  const body = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as unknown;
  return { ...(withDates(body) as Record<string, unknown>), $metadata: {} };
}

function eventApi(overrides: Partial<EventApiFacts> = {}): EventApiFacts {
  return {
    apiId: IDS.ordersEvents,
    apiName: 'orders-events',
    apiArn: arnOf(IDS.ordersEvents),
    connectionAuthModes: ['AWS_IAM'],
    defaultPublishAuthModes: ['AWS_IAM'],
    defaultSubscribeAuthModes: ['AWS_IAM'],
    namespaces: [],
    region: REGION,
    ...overrides,
  };
}

describe('AUTHN-APPSYNC-EVENTS authn-appsync-event-api-no-api-key', () => {
  describe('evaluate: the verdict table', () => {
    const rows: (VerdictCase<EventApiFacts> & { compliance: Compliance })[] = [
      {
        title: 'AWS_IAM connect, publish and subscribe → COMPLIANT',
        facts: eventApi(),
        compliance: 'COMPLIANT',
        code: 'event-api-authenticated',
        annotation:
          /^Event API "orders-events" \(p8d2f6j1s9l4a7e3u0o5i2g8qm\) authenticates every connection, publish and subscribe \(no API_KEY mode\)\.$/,
      },
      {
        title: 'Cognito, OIDC and Lambda modes side by side → COMPLIANT',
        facts: eventApi({
          connectionAuthModes: ['AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT'],
          defaultPublishAuthModes: ['AWS_LAMBDA'],
          defaultSubscribeAuthModes: ['AMAZON_COGNITO_USER_POOLS'],
        }),
        compliance: 'COMPLIANT',
        code: 'event-api-authenticated',
        annotation: /authenticates every connection/,
      },
      {
        title: 'API_KEY beside AWS_IAM in the connection modes → NON_COMPLIANT',
        facts: eventApi({ connectionAuthModes: ['AWS_IAM', 'API_KEY'] }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-connect',
        annotation:
          /^Event API "orders-events" \(p8d2f6j1s9l4a7e3u0o5i2g8qm\) accepts API keys \(connection\): anyone holding the key gets in\./,
      },
      {
        title: 'API_KEY as the default publish mode → NON_COMPLIANT',
        facts: eventApi({ defaultPublishAuthModes: ['API_KEY'] }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-publish',
        annotation: /accepts API keys \(default publish\)/,
      },
      {
        title: 'API_KEY as the default subscribe mode → NON_COMPLIANT',
        facts: eventApi({ defaultSubscribeAuthModes: ['API_KEY'] }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-subscribe',
        annotation: /accepts API keys \(default subscribe\)/,
      },
      {
        title: "API_KEY only in a namespace's publish override → NON_COMPLIANT, naming the namespace",
        facts: eventApi({
          namespaces: [
            { name: 'orders', publishAuthModes: 'inherited', subscribeAuthModes: 'inherited' },
            { name: 'moderation', publishAuthModes: ['API_KEY'], subscribeAuthModes: ['AWS_IAM'] },
          ],
        }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-namespace',
        annotation: /accepts API keys \(namespace "moderation" publish\)/,
      },
      {
        title: "API_KEY in a namespace's subscribe override → NON_COMPLIANT",
        facts: eventApi({
          namespaces: [{ name: 'live', publishAuthModes: 'inherited', subscribeAuthModes: ['API_KEY'] }],
        }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-namespace',
        annotation: /accepts API keys \(namespace "live" subscribe\)/,
      },
      {
        title: 'every list that accepts a key is named, in order',
        facts: eventApi({
          connectionAuthModes: ['API_KEY'],
          defaultSubscribeAuthModes: ['API_KEY'],
          namespaces: [{ name: 'live', publishAuthModes: ['API_KEY'], subscribeAuthModes: 'inherited' }],
        }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-connect',
        annotation: /accepts API keys \(connection, default subscribe, namespace "live" publish\)/,
      },
      {
        title: 'a namespace that overrides with authenticated modes only → COMPLIANT',
        facts: eventApi({
          namespaces: [{ name: 'audit', publishAuthModes: ['AWS_IAM'], subscribeAuthModes: ['AWS_LAMBDA'] }],
        }),
        compliance: 'COMPLIANT',
        code: 'event-api-authenticated',
        annotation: /authenticates every connection/,
      },
      {
        title: 'an empty namespace override lets no key in → COMPLIANT',
        facts: eventApi({
          namespaces: [{ name: 'quiet', publishAuthModes: [], subscribeAuthModes: 'inherited' }],
        }),
        compliance: 'COMPLIANT',
        code: 'event-api-authenticated',
        annotation: /authenticates every connection/,
      },
      {
        title: 'the connection modes could not be read → NON_COMPLIANT (fail closed)',
        facts: eventApi({ connectionAuthModes: 'unreadable' }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-modes-unverified',
        annotation: /: connection modes could not be read, so authentication is not verified\./,
      },
      {
        title: 'an empty default publish list → NON_COMPLIANT (fail closed)',
        facts: eventApi({ defaultPublishAuthModes: [] }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-modes-unverified',
        annotation: /default publish lists no mode, so authentication is not verified/,
      },
      {
        title: 'a mode without a type → NON_COMPLIANT (fail closed)',
        facts: eventApi({ defaultSubscribeAuthModes: [undefined] }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-modes-unverified',
        annotation: /a default subscribe mode has no type/,
      },
      {
        title: 'a type AppSync does not define → NON_COMPLIANT (fail closed)',
        facts: eventApi({
          namespaces: [{ name: 'x', publishAuthModes: ['ANONYMOUS'], subscribeAuthModes: 'inherited' }],
        }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-modes-unverified',
        annotation: /namespace "x" publish mode "ANONYMOUS" is not recognised/,
      },
      {
        title: 'an API_KEY beside an unreadable list is reported as the key',
        facts: eventApi({ connectionAuthModes: 'unreadable', defaultPublishAuthModes: ['API_KEY'] }),
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-publish',
        annotation: /accepts API keys \(default publish\)/,
      },
    ];
    tester.run({
      valid: rows.filter((row) => row.compliance === 'COMPLIANT'),
      invalid: rows.filter((row) => row.compliance === 'NON_COMPLIANT'),
    });

    it('every Event API ranks as internet-facing (its HTTP and real-time endpoints are public)', () => {
      // Act and Assess
      expect(rule.isInternetFacing?.(eventApi({ connectionAuthModes: ['API_KEY'] }))).to.equal(true);
    });

    it('remediation replaces the modes with AWS_IAM and fixes each namespace that names API_KEY', () => {
      // Act
      const command = eventApiRemediation(
        eventApi({
          apiName: 'chat room',
          connectionAuthModes: ['API_KEY'],
          namespaces: [
            { name: 'rooms', publishAuthModes: 'inherited', subscribeAuthModes: 'inherited' },
            { name: 'moderation', publishAuthModes: ['API_KEY'], subscribeAuthModes: 'inherited' },
          ],
        }),
      );
      // Assess
      expect(command).to.equal(
        `aws appsync --region ${REGION} update-api --api-id ${IDS.ordersEvents} --name 'chat room' --event-config ` +
          `'{"authProviders":[{"authType":"AWS_IAM"}],"connectionAuthModes":[{"authType":"AWS_IAM"}],"defaultPublishAuthModes":[{"authType":"AWS_IAM"}],"defaultSubscribeAuthModes":[{"authType":"AWS_IAM"}]}'` +
          ` && aws appsync --region ${REGION} update-channel-namespace --api-id ${IDS.ordersEvents} --name moderation --publish-auth-modes authType=AWS_IAM --subscribe-auth-modes authType=AWS_IAM` +
          '  # keep your Cognito/OIDC/Lambda providers: read them first with get-api',
      );
    });

    it('the hint reads the API id from the API ARN and says what to do for namespaces', () => {
      // Act
      const hint = eventApiRemediationHint({
        resourceType: 'AWS::AppSync::Api',
        resourceId: arnOf(IDS.scoreboard),
        region: REGION,
      });
      // Assess
      expect(hint).to.match(
        new RegExp(
          `^aws appsync --region ${REGION} update-api --api-id ${IDS.scoreboard} --name '<api-name>'`,
        ),
      );
      expect(hint).to.include(
        `for each namespace with API_KEY: aws appsync update-channel-namespace --region ${REGION} --api-id ${IDS.scoreboard} --name <namespace>`,
      );
    });
  });

  describe('exceptions: tags on the Event API', () => {
    const failing = eventApi({ defaultSubscribeAuthModes: ['API_KEY'] });
    const rows: (ExceptionCase<EventApiFacts> & { compliance: Compliance })[] = [
      {
        title: 'a documented, unexpired exception → COMPLIANT with the justification',
        tags: {
          'authn-exception/AUTHN-APPSYNC-EVENTS': SCOREBOARD,
          'authn-exception-expires/AUTHN-APPSYNC-EVENTS': '2026-12-31',
        },
        compliance: 'COMPLIANT',
        code: 'event-api-key-subscribe',
        annotation: new RegExp(`^Exception: ${SCOREBOARD} \\(expires 2026-12-31\\)$`),
      },
      {
        title: 'an expired exception → NON_COMPLIANT naming the tag',
        tags: {
          'authn-exception/AUTHN-APPSYNC-EVENTS': SCOREBOARD,
          'authn-exception-expires/AUTHN-APPSYNC-EVENTS': '2026-10-01',
        },
        compliance: 'NON_COMPLIANT',
        code: 'exception-tag-invalid',
        annotation: /^Exception tag authn-exception-expires\/AUTHN-APPSYNC-EVENTS not honoured/,
      },
      {
        title: "another control's exception does not cover the Event API",
        tags: { 'authn-exception/AppSync.5': SCOREBOARD },
        compliance: 'NON_COMPLIANT',
        code: 'event-api-key-subscribe',
        annotation: /accepts API keys \(default subscribe\)/,
      },
    ];
    tester.runExceptions({
      failing,
      valid: rows.filter((row) => row.compliance === 'COMPLIANT'),
      invalid: rows.filter((row) => row.compliance === 'NON_COMPLIANT'),
    });
  });

  describe('sweep: real-shaped AppSync answers', () => {
    let appsync: AwsClientStub<AppSyncClient>;
    const client = new AppSyncClient({ region: REGION });
    beforeEach(() => {
      appsync = mockClient(AppSyncClient);
      appsync.on(ListApisCommand).resolves(answer('list-apis'));
      appsync.on(GetApiCommand, { apiId: IDS.legacyFeed }).resolves(answer('get-api-legacy-feed'));
      for (const [apiId, name] of [
        [IDS.chat, 'chat'],
        [IDS.ordersEvents, 'orders-events'],
        [IDS.scoreboard, 'scoreboard'],
        [IDS.legacyFeed, 'legacy-feed'],
      ] as const)
        appsync
          .on(ListChannelNamespacesCommand, { apiId })
          .resolves(answer(`list-channel-namespaces-${name}`));
    });
    afterEach(() => {
      appsync.restore();
    });

    it('reports one AWS::AppSync::Api evaluation per Event API, by its ARN, with its namespaces', async () => {
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(
        swept.map((resource) => [resource.resourceType, resource.resourceId, resource.resourceName]),
      ).to.deep.equal([
        ['AWS::AppSync::Api', arnOf(IDS.chat), 'chat'],
        ['AWS::AppSync::Api', arnOf(IDS.ordersEvents), 'orders-events'],
        ['AWS::AppSync::Api', arnOf(IDS.scoreboard), 'scoreboard'],
        ['AWS::AppSync::Api', arnOf(IDS.legacyFeed), 'legacy-feed'],
      ]);
      expect(swept[0]?.facts.namespaces).to.deep.equal([
        { name: 'rooms', publishAuthModes: 'inherited', subscribeAuthModes: 'inherited' },
        {
          name: 'moderation',
          publishAuthModes: ['API_KEY'],
          subscribeAuthModes: ['AMAZON_COGNITO_USER_POOLS'],
        },
      ]);
    });

    it('fails the namespace key and the legacy default, honours the scoreboard exception, passes the IAM API', async () => {
      // Prepare
      const swept = await rule.sweep(client, CONTEXT);
      // Act
      const verdicts = await Promise.all(
        swept.map((resource) => decideSwept(rule, resource, PARAMS, EXCEPTIONS)),
      );
      // Assess
      expect(verdicts.map((verdict) => [verdict.compliance, verdict.code])).to.deep.equal([
        ['NON_COMPLIANT', 'event-api-key-namespace'],
        ['COMPLIANT', 'event-api-authenticated'],
        ['COMPLIANT', 'event-api-key-connect'], // exempted: the exception keeps the failure's code
        ['NON_COMPLIANT', 'event-api-key-publish'],
      ]);
      expect(verdicts[0]?.annotation).to.match(/accepts API keys \(namespace "moderation" publish\)/);
      expect(verdicts[2]?.annotation).to.equal(`Exception: ${SCOREBOARD} (expires 2026-12-31)`);
      expect(verdicts[3]?.annotation).to.match(/"legacy-feed" .* accepts API keys \(default publish\)/);
    });

    it('reads GetApi only for the API ListApis lists without an eventConfig', async () => {
      // Act
      await rule.sweep(client, CONTEXT);
      // Assess
      expect(appsync.commandCalls(GetApiCommand).map((call) => call.args[0].input.apiId)).to.deep.equal([
        IDS.legacyFeed,
      ]);
    });

    it('an API whose eventConfig is not in GetApi either fails closed as unreadable', async () => {
      // Prepare
      appsync
        .on(ListApisCommand)
        .resolves({ apis: [{ apiId: IDS.legacyFeed, name: 'legacy-feed', apiArn: arnOf(IDS.legacyFeed) }] });
      appsync
        .on(GetApiCommand)
        .resolves({ api: { apiId: IDS.legacyFeed, name: 'legacy-feed', apiArn: arnOf(IDS.legacyFeed) } });
      // Act
      const [resource] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(resource?.facts.connectionAuthModes).to.equal('unreadable');
      expect(resource === undefined ? undefined : rule.evaluate(resource.facts, PARAMS)).to.deep.include({
        compliance: 'NON_COMPLIANT',
        code: 'event-api-modes-unverified',
      });
    });

    it('follows nextToken on ListApis and ListChannelNamespaces, 25 a page', async () => {
      // Prepare
      const apiTokens: (string | undefined)[] = [];
      const namespaceTokens: (string | undefined)[] = [];
      const modes = [{ authType: 'AWS_IAM' as const }];
      const eventConfig = {
        authProviders: modes,
        connectionAuthModes: modes,
        defaultPublishAuthModes: modes,
        defaultSubscribeAuthModes: modes,
      };
      appsync.on(ListApisCommand).callsFake((input: { nextToken?: string; maxResults?: number }) => {
        apiTokens.push(input.nextToken);
        expect(input.maxResults).to.equal(25);
        return input.nextToken === undefined
          ? { apis: [{ apiId: 'a1', name: 'a', eventConfig }], nextToken: 'page-2' }
          : { apis: [{ apiId: 'b1', name: 'b', eventConfig }] };
      });
      appsync.on(ListChannelNamespacesCommand).callsFake((input: { apiId: string; nextToken?: string }) => {
        namespaceTokens.push(input.nextToken);
        return input.nextToken === undefined && input.apiId === 'a1'
          ? { channelNamespaces: [{ apiId: 'a1', name: 'first' }], nextToken: 'ns-2' }
          : {
              channelNamespaces: [
                { apiId: input.apiId, name: 'last', publishAuthModes: [{ authType: 'API_KEY' }] },
              ],
            };
      });
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(apiTokens).to.deep.equal([undefined, 'page-2']);
      expect(namespaceTokens).to.have.members([undefined, 'ns-2', undefined]);
      expect(
        swept.map((resource) => [resource.resourceId, resource.facts.namespaces.map((n) => n.name)]),
      ).to.deep.equal([
        [arnOf('a1'), ['first', 'last']],
        [arnOf('b1'), ['last']],
      ]);
    });

    it('leaves out an API deleted between ListApis and ListChannelNamespaces', async () => {
      // Prepare
      appsync
        .on(ListChannelNamespacesCommand, { apiId: IDS.scoreboard })
        .rejects(new NotFoundException({ message: 'API not found', $metadata: {} }));
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(swept.map((resource) => resource.resourceName)).to.deep.equal([
        'chat',
        'orders-events',
        'legacy-feed',
      ]);
    });

    it('fails the sweep on any other error (no API dropped silently)', async () => {
      // Prepare
      appsync
        .on(ListChannelNamespacesCommand, { apiId: IDS.chat })
        .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
      // Act
      const error = await rule.sweep(client, CONTEXT).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      // Assess
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).name).to.equal('AccessDeniedException');
    });
  });
});
