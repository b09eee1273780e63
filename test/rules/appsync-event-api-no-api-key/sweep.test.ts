/**
 * The Event API sweep in parts (one per API): listing makes ListApis alone, a part reads one API (GetApi when the
 * listing carries no eventConfig, and its namespaces), an API deleted before its part is read finds nothing, and the
 * whole sweep is the parts read whole.
 */
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
import { sweepEventApiParts, sweepEventApis } from '../../../rules/appsync-event-api-no-api-key/sweep';
import type { SweepContext } from '../../../rules/core/types';
import { ACCOUNT, REGION } from '../../helpers/events';

const CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'appsync-event-api-no-api-key');
const APIS = [
  ['k3v7q2m9x4b8n1c6z5t0w2r7yh', 'chat'],
  ['p8d2f6j1s9l4a7e3u0o5i2g8qm', 'orders-events'],
  ['w1e5r9t3y7u2i6o0p4a8s3d7fb', 'scoreboard'],
  ['z9x3c7v1b5n8m2q6w0e4r7t1yk', 'legacy-feed'],
] as const;

/** An AppSync answer as the service returns it (timestamps are epoch seconds on the wire; the SDK makes Dates). */
function answer(name: string): Record<string, unknown> {
  const text = readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
  const body = JSON.parse(text, (key, value: unknown) =>
    (key === 'created' || key === 'lastModified') && typeof value === 'number'
      ? new Date(value * 1000)
      : value,
  ) as Record<string, unknown>;
  return { ...body, $metadata: {} };
}

describe('appsync-event-api-no-api-key sweep: parts (no ceiling)', () => {
  let appsync: AwsClientStub<AppSyncClient>;
  const client = new AppSyncClient({ region: REGION });

  beforeEach(() => {
    appsync = mockClient(AppSyncClient);
    appsync.on(ListApisCommand).resolves(answer('list-apis'));
    appsync.on(GetApiCommand, { apiId: APIS[3][0] }).resolves(answer('get-api-legacy-feed'));
    for (const [apiId, name] of APIS)
      appsync.on(ListChannelNamespacesCommand, { apiId }).resolves(answer(`list-channel-namespaces-${name}`));
  });

  afterEach(() => {
    appsync.restore();
  });

  it('lists one part per Event API, keyed by its id, with ListApis alone', async () => {
    // Act
    const parts = await sweepEventApiParts(client, CONTEXT);
    // Assess
    expect(parts.map((part) => part.key)).to.deep.equal(APIS.map(([apiId]) => apiId));
    expect(appsync.calls()).to.have.length(1);
  });

  it('reads one API when its part is read: GetApi only where the listing has no eventConfig', async () => {
    // Prepare
    const parts = await sweepEventApiParts(client, CONTEXT);
    // Act
    const chat = await parts[0]?.read();
    const legacy = await parts[3]?.read();
    // Assess
    expect(chat?.map((resource) => resource.resourceName)).to.deep.equal(['chat']);
    expect(legacy?.map((resource) => resource.resourceName)).to.deep.equal(['legacy-feed']);
    expect(appsync.commandCalls(GetApiCommand).map((call) => call.args[0].input.apiId)).to.deep.equal([
      APIS[3][0],
    ]);
    expect(appsync.commandCalls(ListChannelNamespacesCommand)).to.have.length(2);
  });

  it('finds nothing in the part of an API deleted after the listing (its earlier verdict goes stale)', async () => {
    // Prepare
    appsync
      .on(ListChannelNamespacesCommand, { apiId: APIS[2][0] })
      .rejects(new NotFoundException({ message: 'API not found', $metadata: {} }));
    const parts = await sweepEventApiParts(client, CONTEXT);
    // Act
    const read = await parts[2]?.read();
    // Assess
    expect(read).to.deep.equal([]);
  });

  it('sweeps whole exactly what the parts read, in the same order', async () => {
    // Prepare
    const parts = await sweepEventApiParts(client, CONTEXT);
    const byParts = (await Promise.all(parts.map((part) => part.read()))).flat();
    // Act
    const whole = await sweepEventApis(client, CONTEXT);
    // Assess
    expect(whole.map((resource) => resource.resourceId)).to.deep.equal(
      byParts.map((resource) => resource.resourceId),
    );
    expect(whole).to.have.length(4);
  });
});
