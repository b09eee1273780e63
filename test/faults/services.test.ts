/**
 * Faults on the service side of a rule, with the real handler and real SDK clients against moto_server through a
 * fault-injecting proxy (Config calls go to the local Config stand-in):
 * - AccessDenied where the pack reads with someone else's permission: assuming the execution role (STS), and reading
 *   exception tags (ElastiCache and DMS ListTagsForResource). A denied role means nothing reaches Config and the
 *   invocation says so; a denied tag read keeps the resource NON_COMPLIANT with the reason — never an exemption read
 *   from tags that could not be read.
 * - A slow service that runs the invocation short of Lambda time while sweeping or reading tags: nothing is
 *   reported (a partial sweep would wrongly feed the stale cleanup), and the invocation says why.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  CreateEndpointCommand,
  DatabaseMigrationServiceClient,
} from '@aws-sdk/client-database-migration-service';
import {
  AddTagsToResourceCommand,
  CreateReplicationGroupCommand,
  ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { KafkaClient } from '@aws-sdk/client-kafka';
import { STSClient } from '@aws-sdk/client-sts';
import { scanTarget } from '../../cli/scan';
import { createConfigRuleHandler } from '../../rules/core/handler';
import type { RetryPolicy } from '../../rules/core/retry';
import type { ClientSettings } from '../../rules/core/types';
import { dmsMongodbAuthentication } from '../../rules/dms-mongodb-authentication/rule';
import { elasticacheRedisAuth } from '../../rules/elasticache-redis-auth/rule';
import { mskNoUnauthenticatedAccess } from '../../rules/msk-no-unauthenticated-access/rule';
import { startConfigStub, type ConfigStub } from '../../scripts/config-stub';
import { emulatorClientSettings, emulatorEnvironment } from '../../scripts/emulator';
import { seedDms } from '../../rules/dms-mongodb-authentication/sample';
import { seedElastiCache } from '../../rules/elasticache-redis-auth/sample';
import { useEmulator } from '../helpers/emulator';
import { scheduledEvent } from '../helpers/events';
import { share, startFaultProxy, type FaultProxy } from './fault-proxy';

/** moto's default account: resources seeded with plain test credentials live there. */
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const RULE_ARN = `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-f4ult5`;
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };
const QUICK_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 5,
  maxDelayMs: 20,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
const EXCEPTION = {
  Key: 'authn-exception/ElastiCache.6',
  Value: 'decommissioned with the legacy shop in Q1',
};
const LEGACY_GROUP_ARN = `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:sessions-legacy`;

/** A scheduled event for moto's account, with the rule parameters given. */
function scheduled(ruleParameters: Record<string, string> = {}): Record<string, unknown> {
  return { ...scheduledEvent({ ruleParameters }), accountId: ACCOUNT, configRuleArn: RULE_ARN };
}

/** Client settings through the proxy, with the assumed role's credentials when there are some. */
const through = (proxy: FaultProxy) => (settings: ClientSettings) => ({
  ...settings,
  endpoint: proxy.endpoint,
  credentials: settings.credentials ?? CREDENTIALS,
});

describe('faults: the services a rule reads (moto_server behind a fault-injecting proxy)', function () {
  this.timeout(60_000);
  const emulator = useEmulator();
  let stub: ConfigStub;
  let proxy: FaultProxy;

  beforeEach(async () => {
    stub = await startConfigStub();
    proxy = await startFaultProxy(emulator.current().endpoint);
  });

  afterEach(async () => {
    await proxy.stop();
    await stub.stop();
  });

  function elasticacheHandler() {
    return createConfigRuleHandler(elasticacheRedisAuth, {
      createConfigClient: (settings) =>
        new ConfigServiceClient({
          ...settings,
          endpoint: stub.endpoint,
          credentials: settings.credentials ?? CREDENTIALS,
        }),
      createServiceClient: (settings) => new ElastiCacheClient(through(proxy)(settings)),
      createStsClient: (settings) => new STSClient(through(proxy)(settings)),
      retry: QUICK_RETRY,
      log: SILENT,
    });
  }

  it('AssumeRole denied on a periodic rule: the invocation fails naming the role, and nothing reaches Config', async () => {
    // Prepare: the role can be assumed until the proxy denies it.
    await seedElastiCache(emulatorClientSettings(emulator.current().endpoint, REGION));
    const handler = elasticacheHandler();
    const allowed = await handler(scheduled({ ExecutionRoleName: 'authn-pack-member' }));
    expect(proxy.calls.get('AssumeRole')).to.equal(1);
    expect(allowed.delivered).to.be.greaterThan(0);
    stub.results.clear();
    stub.calls.clear();
    proxy.setOptions({ fault: (call) => (call.operation === 'AssumeRole' ? 'deny' : undefined) });
    // Act
    const outcome = await handler(scheduled({ ExecutionRoleName: 'authn-pack-member' })).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    // Assess
    expect(outcome).to.include('authn-elasticache-redis-auth: nothing was reported to Config');
    expect(outcome).to.include(`arn:aws:iam::${ACCOUNT}:role/authn-pack-member`);
    expect(outcome).to.include('AccessDenied');
    expect(
      [...stub.calls.values()].reduce((sum, n) => sum + n, 0),
      'Config calls',
    ).to.equal(0);
    expect(stub.results.size).to.equal(0);
    expect(proxy.calls.get('DescribeReplicationGroups'), 'no sweep without the role').to.equal(1);
  });

  it('AssumeRole denied on a change-triggered rule: the evaluation is not delivered, and the invocation says nothing was reported', async () => {
    // Prepare: the MSK sample event names ExecutionRoleName authn-pack-member.
    const event = JSON.parse(
      readFileSync(join(__dirname, '..', 'fixtures', 'events', 'change-notification-msk.json'), 'utf8'),
    ) as Record<string, unknown>;
    proxy.setOptions({ fault: (call) => (call.operation === 'AssumeRole' ? 'deny' : undefined) });
    const handler = createConfigRuleHandler(mskNoUnauthenticatedAccess, {
      createConfigClient: (settings) =>
        new ConfigServiceClient({
          ...settings,
          endpoint: stub.endpoint,
          credentials: settings.credentials ?? CREDENTIALS,
        }),
      createServiceClient: (settings) => new KafkaClient(through(proxy)(settings)),
      createStsClient: (settings) => new STSClient(through(proxy)(settings)),
      retry: QUICK_RETRY,
      log: SILENT,
    });
    // Act
    const outcome = await handler(event).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    // Assess
    expect(outcome).to.match(
      /^authn-msk-no-unauthenticated-access: nothing was reported to Config: Could not assume the execution role arn:aws:iam::444455556666:role\/authn-pack-member: AccessDenied/,
    );
    expect(stub.calls.size).to.equal(0);
    expect(stub.results.size).to.equal(0);
  });

  it('ElastiCache ListTagsForResource denied: the group its exception exempted stays NON_COMPLIANT, saying its tags could not be read', async () => {
    // Prepare: sessions-legacy (no AUTH) carries a valid exception; carts has a token.
    const settings = emulatorClientSettings(emulator.current().endpoint, REGION);
    await seedElastiCache(settings);
    await new ElastiCacheClient(settings).send(
      new AddTagsToResourceCommand({ ResourceName: LEGACY_GROUP_ARN, Tags: [EXCEPTION] }),
    );
    const handler = elasticacheHandler();
    await handler(scheduled());
    expect(stub.results.get(`AWS::ElastiCache::ReplicationGroup|${LEGACY_GROUP_ARN}`)?.Annotation).to.match(
      /^Exception: decommissioned/,
    );
    proxy.calls.clear();
    proxy.setOptions({ fault: (call) => (call.operation === 'ListTagsForResource' ? 'deny' : undefined) });
    // Act
    const result = await handler(scheduled());
    // Assess: the run completes; the exemption is withdrawn with the reason, and Config holds that.
    expect(result.delivered).to.equal(1);
    const held = stub.results.get(`AWS::ElastiCache::ReplicationGroup|${LEGACY_GROUP_ARN}`);
    expect(held?.ComplianceType).to.equal('NON_COMPLIANT');
    expect(held?.Annotation).to.match(/Exception tags could not be read: AccessDenied/);
    expect(held?.Annotation?.length).to.be.at.most(256);
    expect(
      proxy.calls.get('ListTagsForResource'),
      'tags are read only for the group that would fail',
    ).to.equal(1);
    expect(
      [...stub.results.values()].find((e) => e.ComplianceResourceId.endsWith(':carts'))?.ComplianceType,
    ).to.equal('COMPLIANT');
  });

  it('DMS ListTagsForResource denied (scan): the MongoDB endpoint without authentication stays NON_COMPLIANT with the reason', async () => {
    // Prepare: the sample endpoints, and one more without authentication that carries a valid exception.
    const settings = emulatorClientSettings(emulator.current().endpoint, REGION);
    await seedDms(settings);
    const created = await new DatabaseMigrationServiceClient(settings).send(
      new CreateEndpointCommand({
        EndpointIdentifier: 'archive-mongo-source',
        EndpointType: 'source',
        EngineName: 'mongodb',
        ServerName: 'mongo.archive.internal',
        Port: 27017,
        DatabaseName: 'archive',
        MongoDbSettings: { AuthType: 'no' },
        Tags: [{ Key: 'authn-exception/DMS.11', Value: 'migration finishes before the cut-over' }],
      }),
    );
    const source = created.Endpoint?.EndpointArn;
    if (source === undefined) throw new Error('endpoint not created');
    const saved = { ...process.env };
    Object.assign(process.env, emulatorEnvironment(proxy.endpoint, REGION));
    const scan = () =>
      scanTarget(
        { accountId: ACCOUNT, region: REGION },
        {
          rules: [dmsMongodbAuthentication],
          now: new Date(),
          exceptionPrefix: 'authn-exception',
          requireExpiry: false,
        },
      );
    try {
      const before = await scan();
      expect(before.findings.find((f) => f.resourceId === source)?.annotation).to.match(
        /^Exception: migration finishes/,
      );
      proxy.setOptions({ fault: (call) => (call.operation === 'ListTagsForResource' ? 'deny' : undefined) });
      // Act
      const after = await scan();
      // Assess
      const finding = after.findings.find((f) => f.resourceId === source);
      expect(finding?.compliance).to.equal('NON_COMPLIANT');
      expect(finding?.annotation).to.match(/Exception tags could not be read: AccessDenied/);
      expect(finding?.exception).to.equal(null);
      expect(after.findings.find((f) => f.resourceName === 'catalog-mongo-source')?.compliance).to.equal(
        'NON_COMPLIANT',
      );
      expect(after.findings.find((f) => f.resourceName === 'orders-mongo-target')?.compliance).to.equal(
        'COMPLIANT',
      );
      expect(JSON.stringify(after)).not.to.include('not-a-real-secret');
    } finally {
      process.env = saved;
    }
  });
  it('5xx on half the service calls: the SDK retries them and every group is reported', async () => {
    // Prepare
    await seedElastiCache(emulatorClientSettings(emulator.current().endpoint, REGION));
    const failing = share(0.5);
    proxy.setOptions({ fault: () => (failing() ? 'unavailable' : undefined) });
    // Act
    const result = await elasticacheHandler()(scheduled());
    // Assess
    expect(proxy.injected.get('unavailable') ?? 0).to.be.greaterThan(0);
    expect(result.delivered).to.equal(2);
    expect(stub.results.size).to.equal(2);
  });

  it('a service that keeps answering 5xx: the sweep fails, nothing is reported, and the invocation says why', async () => {
    // Prepare
    await seedElastiCache(emulatorClientSettings(emulator.current().endpoint, REGION));
    proxy.setOptions({
      fault: (call) => (call.operation === 'DescribeCacheClusters' ? 'server-error' : undefined),
    });
    // Act
    const outcome = await elasticacheHandler()(scheduled()).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    );
    // Assess
    expect(outcome).to.match(
      /^IncompleteSweepError: authn-elasticache-redis-auth: the sweep could not read every resource, so nothing was reported: .*InternalFailure/,
    );
    expect(proxy.calls.get('DescribeCacheClusters'), 'the SDK retried').to.be.at.least(3);
    expect(stub.calls.size, 'no Config call').to.equal(0);
  });

  it('a slow service runs the sweep short of Lambda time: nothing is reported, and the invocation says so', async () => {
    // Prepare: 800 ms a call against a 1-second budget (a quarter of it is kept for delivery): the second page
    // (DescribeCacheClusters) cannot be read in time.
    await seedElastiCache(emulatorClientSettings(emulator.current().endpoint, REGION));
    proxy.setOptions({ latencyMs: 800 });
    const deadline = Date.now() + 1_000;
    // Act
    const outcome = await elasticacheHandler()(scheduled(), {
      getRemainingTimeInMillis: () => deadline - Date.now(),
    }).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    );
    // Assess
    expect(outcome).to.match(
      /^IncompleteSweepError: authn-elasticache-redis-auth: the sweep could not read every resource, so nothing was reported: OutOfTimeError: ran short of Lambda time/,
    );
    expect(stub.calls.size, 'no Config call').to.equal(0);
    expect(stub.results.size).to.equal(0);
  });

  it('slow tag reads run the invocation short of Lambda time: nothing is reported, and the invocation says so', async () => {
    // Prepare: seven groups without AUTH whose tags take 500 ms each to read, one at a time, in a 2-second budget.
    await seedElastiCache(emulatorClientSettings(emulator.current().endpoint, REGION));
    const client = new ElastiCacheClient(emulatorClientSettings(emulator.current().endpoint, REGION));
    for (const index of [1, 2, 3, 4, 5, 6]) {
      await client.send(
        new CreateReplicationGroupCommand({
          ReplicationGroupId: `legacy-${index}`,
          ReplicationGroupDescription: 'Redis 5 without AUTH',
          Engine: 'redis',
          EngineVersion: '5.0.6',
          CacheNodeType: 'cache.t3.micro',
          NumCacheClusters: 1,
        }),
      );
    }
    const handler = createConfigRuleHandler(elasticacheRedisAuth, {
      createConfigClient: (settings) =>
        new ConfigServiceClient({ ...settings, endpoint: stub.endpoint, credentials: CREDENTIALS }),
      createServiceClient: (settings) => new ElastiCacheClient(through(proxy)(settings)),
      retry: QUICK_RETRY,
      log: SILENT,
      tagReadConcurrency: 1,
    });
    proxy.setOptions({ latencyMs: (call) => (call.operation === 'ListTagsForResource' ? 500 : 0) });
    const deadline = Date.now() + 2_000;
    const context = { getRemainingTimeInMillis: () => deadline - Date.now() };
    // Act
    const outcome = await handler(scheduled(), context).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    );
    // Assess
    expect(outcome).to.match(
      /^IncompleteSweepError: authn-elasticache-redis-auth: ran short of Lambda time while reading exception tags, so nothing was reported/,
    );
    expect(proxy.calls.get('ListTagsForResource') ?? 0).to.be.greaterThan(0);
    expect(stub.calls.size, 'no Config call').to.equal(0);
    expect(stub.results.size).to.equal(0);
  });
});
