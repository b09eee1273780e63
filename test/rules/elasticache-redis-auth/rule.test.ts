import {
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  type CacheCluster,
  type DescribeCacheClustersCommandInput,
  type DescribeCacheClustersCommandOutput,
  type DescribeReplicationGroupsCommandInput,
  type DescribeReplicationGroupsCommandOutput,
  type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { decideSwept } from '../../../rules/core/decide';
import { createConfigRuleHandler } from '../../../rules/core/handler';
import { silentLog } from '../../../rules/core/log';
import { parseParameters } from '../../../rules/core/parameters';
import { replicationGroupRemediation } from '../../../rules/elasticache-redis-auth/decision';
import type { ReplicationGroupFacts } from '../../../rules/elasticache-redis-auth/facts';
import { elasticacheRedisAuth as rule } from '../../../rules/elasticache-redis-auth/rule';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';
import { ACCOUNT, REGION, SCHEDULED_AT, scheduledEvent } from '../../helpers/events';

const TODAY = '2026-10-04';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
const DEFAULTS = parseParameters(rule.parameters, {}).rule;
/** RequireAuthOnAllVersions=true, as Config passes it. */
const ALL_VERSIONS = { RequireAuthOnAllVersions: 'true' };
const JUSTIFICATION = 'isolated batch subnet, replaced by SEC-412';
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });
const TLS_FIRST =
  /AUTH needs in-transit encryption first \(in place on Redis OSS 7\.0\+ only; else upgrade or recreate\)/;
const ROTATE_THEN_SET = /ROTATE, move clients, then SET/;

function group(overrides: Partial<ReplicationGroupFacts> = {}): ReplicationGroupFacts {
  return {
    groupId: 'sessions-cache',
    engine: 'redis',
    engineVersion: '5.0.6',
    authTokenEnabled: false,
    userGroupIds: [],
    transitEncryptionEnabled: true,
    region: REGION,
    ...overrides,
  };
}

describe('ElastiCache.6 authn-elasticache-redis-auth', () => {
  let elasticache: AwsClientStub<ElastiCacheClient>;
  beforeEach(() => {
    elasticache = mockClient(ElastiCacheClient);
  });
  afterEach(() => {
    elasticache.restore();
  });

  describe('evaluate: the verdict table (Security Hub scope)', () => {
    tester.run({
      valid: [
        {
          title: 'Redis 5.0.6 with AUTH → COMPLIANT',
          facts: group({ authTokenEnabled: true }),
          code: 'redis-auth-token',
          annotation: /requires an AUTH token/,
        },
        {
          title: 'version unknown with AUTH → COMPLIANT',
          facts: group({ engineVersion: undefined, authTokenEnabled: true }),
          code: 'redis-auth-token',
          annotation: /requires an AUTH token/,
        },
      ],
      invalid: [
        {
          title: 'Redis 5.0.6 without AUTH, TLS on → NON_COMPLIANT with the ROTATE-then-SET rollout',
          facts: group(),
          code: 'redis-auth-missing',
          annotation:
            /^Replication group "sessions-cache" runs Redis OSS 5\.0\.6 without an AUTH token\. Roll out a token .*ROTATE, move clients, then SET/,
          not: /in-transit encryption first/,
        },
        {
          title:
            'Redis 4.0.10, AuthTokenEnabled absent, TLS off → NON_COMPLIANT saying AUTH needs in-transit encryption first',
          facts: group({
            engineVersion: '4.0.10',
            authTokenEnabled: undefined,
            transitEncryptionEnabled: false,
          }),
          code: 'redis-auth-missing',
          annotation: TLS_FIRST,
        },
        {
          title: 'Redis 5.0.6 with a user group but no AUTH → NON_COMPLIANT (RBAC does not exist below 6.0)',
          facts: group({ userGroupIds: ['app-users'] }),
          code: 'redis-auth-missing',
          annotation: /without an AUTH token/,
        },
        {
          title: 'version unknown and no AUTH → NON_COMPLIANT "engine version could not be read"',
          facts: group({ engineVersion: undefined }),
          code: 'redis-version-unreadable',
          annotation:
            /^Replication group "sessions-cache": engine version could not be read and no AUTH token is enabled\./,
        },
        {
          title:
            'version unknown, no AUTH but a user group → still NON_COMPLIANT "engine version could not be read"',
          facts: group({ engineVersion: undefined, userGroupIds: ['app-users'] }),
          code: 'redis-version-unreadable',
          annotation: /engine version could not be read/,
        },
        {
          title: 'version unknown and TLS off → NON_COMPLIANT with the in-transit encryption advice',
          facts: group({ engine: undefined, engineVersion: undefined, transitEncryptionEnabled: false }),
          code: 'redis-version-unreadable',
          annotation: TLS_FIRST,
        },
      ],
      notApplicable: [
        {
          title: 'Redis 6.0 without AUTH → NOT_APPLICABLE (RBAC-capable)',
          facts: group({ engineVersion: '6.0.5' }),
          code: 'redis-rbac-capable-not-checked',
          annotation:
            /runs Redis OSS 6\.0\.5, which supports RBAC: outside ElastiCache\.6 \(set RequireAuthOnAllVersions=true/,
        },
        {
          title: 'Redis "6.x" without AUTH → NOT_APPLICABLE',
          facts: group({ engineVersion: '6.x' }),
          code: 'redis-rbac-capable-not-checked',
          annotation: /outside ElastiCache\.6/,
        },
        {
          title: 'Redis 7.1 without AUTH → NOT_APPLICABLE',
          facts: group({ engineVersion: '7.1.0' }),
          code: 'redis-rbac-capable-not-checked',
          annotation: /outside ElastiCache\.6/,
        },
        {
          title: 'Valkey 7.2 without AUTH → NOT_APPLICABLE',
          facts: group({ engine: 'valkey', engineVersion: '7.2.6' }),
          code: 'redis-rbac-capable-not-checked',
          annotation: /runs Valkey 7\.2\.6, which supports RBAC/,
        },
        {
          title: 'Valkey with an unreadable version → NOT_APPLICABLE (the engine alone settles it)',
          facts: group({ engine: 'valkey', engineVersion: undefined }),
          code: 'redis-rbac-capable-not-checked',
          annotation: /outside ElastiCache\.6/,
        },
        {
          title: 'Memcached → NOT_APPLICABLE',
          facts: group({ engine: 'memcached', engineVersion: '1.6.22' }),
          code: 'elasticache-memcached',
          annotation: /Memcached/,
        },
      ],
    });

    const longId = 'g'.repeat(40);
    const advice: { title: string; facts: ReplicationGroupFacts; advice: RegExp }[] = [
      {
        title: 'known version, TLS off',
        facts: group({ groupId: longId, engineVersion: '4.0.10', transitEncryptionEnabled: false }),
        advice: TLS_FIRST,
      },
      {
        title: 'known version, TLS on',
        facts: group({ groupId: longId, engineVersion: '4.0.10' }),
        advice: ROTATE_THEN_SET,
      },
      {
        title: 'unknown version, TLS off',
        facts: group({ groupId: longId, engineVersion: undefined, transitEncryptionEnabled: false }),
        advice: TLS_FIRST,
      },
      {
        title: 'unknown version, TLS on',
        facts: group({ groupId: longId, engineVersion: undefined }),
        advice: ROTATE_THEN_SET,
      },
    ];
    for (const row of advice) {
      it(`keeps the whole next step within 256 characters for a 40-character group id (${row.title})`, () => {
        // Act
        const { annotation } = rule.evaluate(row.facts, DEFAULTS);
        // Assess
        expect(annotation).to.match(row.advice);
        expect(annotation.length).to.be.at.most(256);
      });
    }

    it('remediation rolls out the token with ROTATE, then SET, and enables TLS first when it is off', () => {
      // Prepare
      const withTls = group();
      const withoutTls = group({ transitEncryptionEnabled: false });
      // Act
      const rollout = replicationGroupRemediation(withTls);
      const tlsFirst = replicationGroupRemediation(withoutTls);
      // Assess
      expect(rollout.indexOf('--auth-token-update-strategy ROTATE')).to.be.greaterThan(-1);
      expect(rollout.indexOf('--auth-token-update-strategy ROTATE')).to.be.lessThan(
        rollout.indexOf('--auth-token-update-strategy SET'),
      );
      expect(rollout).to.include('--replication-group-id sessions-cache');
      expect(tlsFirst).to.match(/^# in-transit encryption is off: .*--transit-encryption-enabled/);
    });
  });

  describe('evaluate: RequireAuthOnAllVersions=true', () => {
    tester.run({
      valid: [
        {
          title: 'Redis 7.1 with an RBAC user group → COMPLIANT',
          facts: group({ engineVersion: '7.1.0', userGroupIds: ['app-users'] }),
          params: ALL_VERSIONS,
          code: 'redis-rbac-user-group',
          annotation: /RBAC user group/,
        },
        {
          title: 'Redis 6.2 with AUTH → COMPLIANT',
          facts: group({ engineVersion: '6.2.6', authTokenEnabled: true }),
          params: ALL_VERSIONS,
          code: 'redis-auth-token',
          annotation: /requires an AUTH token/,
        },
        {
          title: 'Valkey with an RBAC user group → COMPLIANT',
          facts: group({ engine: 'valkey', engineVersion: '7.2.6', userGroupIds: ['app-users'] }),
          params: ALL_VERSIONS,
          code: 'redis-rbac-user-group',
          annotation: /RBAC user group/,
        },
      ],
      invalid: [
        {
          title: 'Redis 7.1 with neither AUTH nor RBAC → NON_COMPLIANT',
          facts: group({ engineVersion: '7.1.0' }),
          params: ALL_VERSIONS,
          code: 'redis-auth-and-rbac-missing',
          annotation: /\(Redis OSS 7\.1\.0\) has neither an AUTH token nor an RBAC user group/,
        },
        {
          title: 'Valkey 8.0 with neither → NON_COMPLIANT',
          facts: group({ engine: 'valkey', engineVersion: '8.0.1' }),
          params: ALL_VERSIONS,
          code: 'redis-auth-and-rbac-missing',
          annotation: /\(Valkey 8\.0\.1\) has neither an AUTH token nor an RBAC user group/,
        },
        {
          title: 'Redis 5.0.6 without AUTH → still NON_COMPLIANT',
          facts: group(),
          params: ALL_VERSIONS,
          code: 'redis-auth-missing',
          annotation: /runs Redis OSS 5\.0\.6 without an AUTH token/,
        },
      ],
    });
  });

  describe('exceptions through decide', () => {
    const failing = group();

    tester.runExceptions({
      failing: failing,
      valid: [
        {
          title: 'a resource-level exception → COMPLIANT "Exception: …"',
          tags: {
            'authn-exception/ElastiCache.6': JUSTIFICATION,
            'authn-exception-expires/ElastiCache.6': '2027-01-31',
          },
          code: 'redis-auth-missing',
          annotation: new RegExp(`^Exception: ${JUSTIFICATION} \\(expires 2027-01-31\\)$`),
        },
        {
          title: 'a custom ExceptionTagPrefix is honoured',
          tags: { 'sec/waiver/ElastiCache.6': JUSTIFICATION },
          settings: { prefix: 'sec/waiver' },
          code: 'redis-auth-missing',
          annotation: /^Exception: isolated batch subnet/,
        },
      ],
      invalid: [
        ...tester.conventionCases({
          justification: JUSTIFICATION,
          expired: '2026-10-03',
          unreadableExpiry: '2026-13-01',
          shortJustification: 'SEC-412',
          otherControl: 'AppSync.5',
          failingCode: 'redis-auth-missing',
          failingAnnotation:
            /^Replication group "sessions-cache" runs Redis OSS 5\.0\.6 without an AUTH token/,
        }),
      ],
      untouched: [
        {
          title: 'never changes a COMPLIANT verdict, even with a malformed exception',
          facts: group({ authTokenEnabled: true }),
          compliance: 'COMPLIANT',
          tags: [{ 'authn-exception/ElastiCache.6': 'short' }],
        },
        {
          title: 'never changes a NOT_APPLICABLE verdict, even with a malformed exception',
          facts: group({ engineVersion: '7.1.0' }),
          compliance: 'NOT_APPLICABLE',
          tags: [{ 'authn-exception/ElastiCache.6': 'short' }],
        },
      ],
    });
  });

  describe('sweep: DescribeReplicationGroups joined with DescribeCacheClusters', () => {
    const client = new ElastiCacheClient({ region: REGION });

    const arnOf = (id: string): string => `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:${id}`;
    const replicationGroup = (id: string, extra: Partial<ReplicationGroup> = {}): ReplicationGroup => ({
      ReplicationGroupId: id,
      Description: `${id} cache`,
      Status: 'available',
      MemberClusters: [`${id}-001`, `${id}-002`],
      ClusterEnabled: false,
      CacheNodeType: 'cache.t3.medium',
      AuthTokenEnabled: false,
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      ARN: arnOf(id),
      Engine: 'redis',
      ...extra,
    });
    const member = (
      groupId: string,
      n: number,
      version: string | undefined,
      engine = 'redis',
    ): CacheCluster => ({
      CacheClusterId: `${groupId}-00${n}`,
      CacheNodeType: 'cache.t3.medium',
      Engine: engine,
      ...(version === undefined ? {} : { EngineVersion: version }),
      CacheClusterStatus: 'available',
      NumCacheNodes: 1,
      ReplicationGroupId: groupId,
      ARN: `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:${groupId}-00${n}`,
    });

    function serve(
      groupPages: Record<string, DescribeReplicationGroupsCommandOutput>,
      clusterPages: Record<string, DescribeCacheClustersCommandOutput>,
    ): { groupMarkers: (string | undefined)[]; clusterMarkers: (string | undefined)[] } {
      const groupMarkers: (string | undefined)[] = [];
      const clusterMarkers: (string | undefined)[] = [];
      elasticache
        .on(DescribeReplicationGroupsCommand)
        .callsFake((input: DescribeReplicationGroupsCommandInput) => {
          groupMarkers.push(input.Marker);
          return groupPages[input.Marker ?? 'first'];
        });
      elasticache.on(DescribeCacheClustersCommand).callsFake((input: DescribeCacheClustersCommandInput) => {
        clusterMarkers.push(input.Marker);
        return clusterPages[input.Marker ?? 'first'];
      });
      return { groupMarkers, clusterMarkers };
    }

    it('follows Marker on both sweeps, joins members on ReplicationGroupId and reports each group by its ARN', async () => {
      // Prepare
      const { groupMarkers, clusterMarkers } = serve(
        {
          first: {
            ReplicationGroups: [replicationGroup('sessions-cache'), replicationGroup('ratings-cache')],
            Marker: 'rg-2',
            $metadata: {},
          },
          'rg-2': {
            ReplicationGroups: [replicationGroup('feature-flags', { Engine: 'valkey' })],
            $metadata: {},
          },
        },
        {
          first: {
            CacheClusters: [
              member('sessions-cache', 1, '5.0.6'),
              member('ratings-cache', 1, '7.1.0'),
              member('feature-flags', 1, '7.2.6', 'valkey'),
            ],
            Marker: 'cc-2',
            $metadata: {},
          },
          'cc-2': {
            CacheClusters: [
              member('sessions-cache', 2, '5.0.6'),
              member('ratings-cache', 2, '7.1.0'),
              {
                CacheClusterId: 'standalone-memcached',
                Engine: 'memcached',
                EngineVersion: '1.6.22',
                NumCacheNodes: 2,
              },
            ],
            $metadata: {},
          },
        },
      );
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(groupMarkers).to.deep.equal([undefined, 'rg-2']);
      expect(clusterMarkers).to.deep.equal([undefined, 'cc-2']);
      expect(
        swept.map((resource) => [resource.resourceType, resource.resourceId, resource.resourceName]),
      ).to.deep.equal([
        ['AWS::ElastiCache::ReplicationGroup', arnOf('sessions-cache'), 'sessions-cache'],
        ['AWS::ElastiCache::ReplicationGroup', arnOf('ratings-cache'), 'ratings-cache'],
        ['AWS::ElastiCache::ReplicationGroup', arnOf('feature-flags'), 'feature-flags'],
      ]);
      expect(swept.map((resource) => [resource.facts.engine, resource.facts.engineVersion])).to.deep.equal([
        ['redis', '5.0.6'],
        ['redis', '7.1.0'],
        ['valkey', '7.2.6'],
      ]);
      expect(swept.map((resource) => rule.evaluate(resource.facts, DEFAULTS).compliance)).to.deep.equal([
        'NON_COMPLIANT',
        'NOT_APPLICABLE',
        'NOT_APPLICABLE',
      ]);
    });

    it('takes the lowest member version of a group mid-upgrade', async () => {
      // Prepare
      serve(
        { first: { ReplicationGroups: [replicationGroup('sessions-cache')], $metadata: {} } },
        {
          first: {
            CacheClusters: [member('sessions-cache', 1, '6.2.6'), member('sessions-cache', 2, '5.0.6')],
            $metadata: {},
          },
        },
      );
      // Act
      const [resource] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(resource?.facts.engineVersion).to.equal('5.0.6');
      expect(rule.evaluate(resource!.facts, DEFAULTS).compliance).to.equal('NON_COMPLIANT');
    });

    const unknown: { title: string; members: CacheCluster[] }[] = [
      { title: 'no member is described', members: [] },
      {
        title: 'a member has no EngineVersion',
        members: [member('sessions-cache', 1, '5.0.6'), member('sessions-cache', 2, undefined)],
      },
      {
        title: 'a member version is unreadable',
        members: [member('sessions-cache', 1, '5.0.6'), member('sessions-cache', 2, 'preview')],
      },
    ];
    for (const row of unknown) {
      it(`reads the version as unknown when ${row.title}: NON_COMPLIANT "engine version could not be read"`, async () => {
        // Prepare
        serve(
          { first: { ReplicationGroups: [replicationGroup('sessions-cache')], $metadata: {} } },
          { first: { CacheClusters: row.members, $metadata: {} } },
        );
        // Act
        const [resource] = await rule.sweep(client, CONTEXT);
        // Assess
        expect(resource?.facts.engineVersion).to.be.undefined;
        expect(rule.evaluate(resource!.facts, DEFAULTS).annotation).to.match(
          /engine version could not be read/,
        );
      });
    }

    it('learns the engine from the members when the group does not name it', async () => {
      // Prepare
      serve(
        {
          first: {
            ReplicationGroups: [replicationGroup('feature-flags', { Engine: undefined })],
            $metadata: {},
          },
        },
        { first: { CacheClusters: [member('feature-flags', 1, '8.0.1', 'Valkey')], $metadata: {} } },
      );
      // Act
      const [resource] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(resource?.facts.engine).to.equal('valkey');
    });

    it('makes no DescribeCacheClusters call when there is no replication group', async () => {
      // Prepare
      const { clusterMarkers } = serve({ first: { ReplicationGroups: [], $metadata: {} } }, {});
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(swept).to.deep.equal([]);
      expect(clusterMarkers).to.deep.equal([]);
    });

    it('reads tags (one ListTagsForResource by ARN) only for the groups that would fail, and honours an exception there', async () => {
      // Prepare
      serve(
        {
          first: {
            ReplicationGroups: [
              replicationGroup('sessions-cache'),
              replicationGroup('ratings-cache'),
              replicationGroup('orders-cache', { AuthTokenEnabled: true }),
              replicationGroup('legacy-cache'),
            ],
            $metadata: {},
          },
        },
        {
          first: {
            CacheClusters: [
              member('sessions-cache', 1, '5.0.6'),
              member('ratings-cache', 1, '7.1.0'),
              member('orders-cache', 1, '5.0.6'),
              member('legacy-cache', 1, '4.0.10'),
            ],
            $metadata: {},
          },
        },
      );
      elasticache.on(ListTagsForResourceCommand, { ResourceName: arnOf('sessions-cache') }).resolves({
        TagList: [
          { Key: 'authn-exception/ElastiCache.6', Value: JUSTIFICATION },
          { Key: 'authn-exception-expires/ElastiCache.6', Value: '2026-12-31' },
        ],
      });
      elasticache.on(ListTagsForResourceCommand, { ResourceName: arnOf('legacy-cache') }).resolves({
        TagList: [{ Key: 'team', Value: 'legacy' }],
      });
      const swept = await rule.sweep(client, CONTEXT);
      // Act
      const verdicts = await Promise.all(
        swept.map((resource) => decideSwept(rule, resource, DEFAULTS, EXCEPTIONS)),
      );
      // Assess
      const tagReads = elasticache
        .commandCalls(ListTagsForResourceCommand)
        .map((call) => call.args[0].input.ResourceName);
      expect(tagReads).to.have.members([arnOf('sessions-cache'), arnOf('legacy-cache')]);
      expect(tagReads).to.have.length(2);
      expect(verdicts.map((verdict) => verdict.compliance)).to.deep.equal([
        'COMPLIANT',
        'NOT_APPLICABLE',
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
      expect(verdicts[0]?.annotation).to.equal(`Exception: ${JUSTIFICATION} (expires 2026-12-31)`);
    });

    it('keeps a failing group NON_COMPLIANT, with the reason, when its tags cannot be read', async () => {
      // Prepare
      serve(
        { first: { ReplicationGroups: [replicationGroup('legacy-cache')], $metadata: {} } },
        { first: { CacheClusters: [member('legacy-cache', 1, '4.0.10')], $metadata: {} } },
      );
      const denied = Object.assign(new Error('not authorized to perform elasticache:ListTagsForResource'), {
        name: 'AccessDenied',
      });
      elasticache.on(ListTagsForResourceCommand).rejects(denied);
      const [resource] = await rule.sweep(client, CONTEXT);
      // Act
      const verdict = await decideSwept(rule, resource!, DEFAULTS, EXCEPTIONS);
      // Assess
      expect(verdict.compliance).to.equal('NON_COMPLIANT');
      expect(verdict.annotation).to.match(
        /^Replication group "legacy-cache" runs Redis OSS 4\.0\.10 without an AUTH token\./,
      );
      expect(verdict.annotation).to.match(/\(Exception tags could not be read: AccessDenied/);
    });
  });

  describe('the handler on a scheduled notification (dry run)', () => {
    it('reports every group by ARN at the notification time, with RequireAuthOnAllVersions from ruleParameters', async () => {
      // Prepare
      elasticache.on(DescribeReplicationGroupsCommand).resolves({
        ReplicationGroups: [
          {
            ReplicationGroupId: 'sessions-cache',
            ARN: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:sessions-cache`,
            Engine: 'redis',
            AuthTokenEnabled: false,
            TransitEncryptionEnabled: false,
          },
          {
            ReplicationGroupId: 'ratings-cache',
            ARN: `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:ratings-cache`,
            Engine: 'redis',
            AuthTokenEnabled: false,
            UserGroupIds: [],
          },
        ],
      });
      elasticache.on(DescribeCacheClustersCommand).resolves({
        CacheClusters: [
          {
            CacheClusterId: 'sessions-cache-001',
            ReplicationGroupId: 'sessions-cache',
            Engine: 'redis',
            EngineVersion: '5.0.6',
          },
          {
            CacheClusterId: 'ratings-cache-001',
            ReplicationGroupId: 'ratings-cache',
            Engine: 'redis',
            EngineVersion: '7.1.0',
          },
        ],
      });
      elasticache.on(ListTagsForResourceCommand).resolves({ TagList: [] });
      const handle = createConfigRuleHandler(rule, {
        dryRun: true,
        log: silentLog,
        now: () => new Date(`${TODAY}T00:05:00Z`),
        createServiceClient: () => new ElastiCacheClient({ region: REGION }),
      });
      // Act
      const result = await handle(scheduledEvent({ ruleParameters: { RequireAuthOnAllVersions: 'true' } }));
      // Assess
      expect(
        result.evaluations.map((evaluation) => [
          evaluation.ComplianceResourceType,
          evaluation.ComplianceResourceId,
          evaluation.ComplianceType,
        ]),
      ).to.deep.equal([
        [
          'AWS::ElastiCache::ReplicationGroup',
          `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:sessions-cache`,
          'NON_COMPLIANT',
        ],
        [
          'AWS::ElastiCache::ReplicationGroup',
          `arn:aws:elasticache:${REGION}:${ACCOUNT}:replicationgroup:ratings-cache`,
          'NON_COMPLIANT',
        ],
      ]);
      expect(
        result.evaluations.every((evaluation) => evaluation.OrderingTimestamp.toISOString() === SCHEDULED_AT),
      ).to.be.true;
      expect(result.evaluations[0]?.Annotation).to.match(TLS_FIRST);
      expect(result.staleCleanup).to.equal('skipped: dry run makes no Config calls');
    });
  });
});
