import {
  DescribeDBClustersCommand,
  ListTagsForResourceCommand,
  NeptuneClient,
  type DBCluster,
  type DescribeDBClustersCommandInput,
  type DescribeDBClustersCommandOutput,
} from '@aws-sdk/client-neptune';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { decideSwept } from '../../../rules/core/decide';
import type { ConfigurationItem } from '../../../rules/core/types';
import { clusterRemediation, clusterRemediationHint } from '../../../rules/neptune-iam-auth/decision';
import type { NeptuneClusterFacts } from '../../../rules/neptune-iam-auth/facts';
import { neptuneIamAuth as rule } from '../../../rules/neptune-iam-auth/rule';
import { loadConfigurationItem } from '../../fixtures/config-items';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';
import { ACCOUNT, REGION } from '../../helpers/events';

const FOLDER = 'neptune-iam-auth';
const TODAY = '2026-10-03';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
const NO_PARAMS = {};
const JUSTIFICATION = 'read-only replica of public open data';
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });

function cluster(overrides: Partial<NeptuneClusterFacts> = {}): NeptuneClusterFacts {
  return {
    identifier: 'fraud-graph',
    arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:fraud-graph`,
    engine: 'neptune',
    iamAuth: true,
    region: REGION,
    ...overrides,
  };
}

describe('Neptune.7 authn-neptune-iam-auth', () => {
  describe('evaluate: the verdict table', () => {
    tester.run({
      valid: [
        {
          title: 'IAM database authentication on → COMPLIANT',
          facts: cluster(),
          code: 'neptune-iam-auth-enabled',
          annotation:
            /^Neptune cluster "fraud-graph" requires IAM database authentication \(SigV4-signed requests\)\.$/,
        },
      ],
      invalid: [
        {
          title: 'IAM database authentication off → NON_COMPLIANT, naming the no-password trap',
          facts: cluster({ iamAuth: false }),
          code: 'neptune-iam-auth-disabled',
          annotation:
            /^Neptune cluster "fraud-graph" does not require IAM database authentication: Neptune has no passwords, so anyone who reaches its endpoint can query it/,
        },
        {
          title: 'the flag absent → NON_COMPLIANT (off by default)',
          facts: cluster({ iamAuth: 'absent' }),
          code: 'neptune-iam-auth-disabled',
          annotation: /does not require IAM database authentication \(not set: off by default\)/,
        },
        {
          title: 'the flag unreadable → NON_COMPLIANT (fail closed)',
          facts: cluster({ iamAuth: 'unreadable' }),
          code: 'neptune-iam-auth-unreadable',
          annotation: /IAMDatabaseAuthenticationEnabled could not be read/,
        },
        {
          title: 'the engine unreadable → NON_COMPLIANT (Neptune cannot be ruled out)',
          facts: cluster({ engine: undefined, iamAuth: 'absent' }),
          code: 'neptune-engine-unreadable',
          annotation: /engine could not be read/,
        },
      ],
      notApplicable: [
        {
          title: 'an Aurora cluster → NOT_APPLICABLE',
          facts: cluster({ identifier: 'ledger', engine: 'aurora-postgresql', iamAuth: false }),
          code: 'neptune-other-engine',
          annotation: /^DB cluster "ledger" runs aurora-postgresql, not Neptune\.$/,
        },
        {
          title: 'a DocumentDB cluster → NOT_APPLICABLE',
          facts: cluster({ engine: 'docdb', iamAuth: 'absent' }),
          code: 'neptune-other-engine',
          annotation: /runs docdb, not Neptune/,
        },
      ],
    });

    it('remediation turns IAM auth on for the cluster identifier, applied immediately', () => {
      // Act
      const command = clusterRemediation(cluster({ iamAuth: false }));
      // Assess
      expect(command).to.equal(
        `aws neptune modify-db-cluster --region ${REGION} --db-cluster-identifier fraud-graph --enable-iam-database-authentication --apply-immediately`,
      );
    });

    it("the hint finds the identifier from Config's cluster resource id, and reads it from an ARN", () => {
      // Act
      const fromResourceId = clusterRemediationHint({
        resourceType: 'AWS::RDS::DBCluster',
        resourceId: 'cluster-5DSWVUHWDH2LBXFGVEZJRDAG4E',
        region: REGION,
      });
      const fromArn = clusterRemediationHint({
        resourceType: 'AWS::RDS::DBCluster',
        resourceId: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:fraud-graph`,
        region: REGION,
      });
      // Assess
      expect(fromResourceId).to.match(
        /--db-cluster-identifier <cluster-identifier> --enable-iam-database-authentication/,
      );
      expect(fromResourceId).to.include("DbClusterResourceId=='cluster-5DSWVUHWDH2LBXFGVEZJRDAG4E'");
      expect(fromArn).to.include('--db-cluster-identifier fraud-graph --enable-iam-database-authentication');
    });
  });

  describe('fromConfigurationItem: AWS::RDS::DBCluster items as Config sends them', () => {
    it('reads the engine and iAMDatabaseAuthenticationEnabled in the bean spelling Config writes', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'noncompliant-iam-auth-off');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts).to.deep.equal({
        identifier: 'fraud-graph',
        arn: `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:fraud-graph`,
        engine: 'neptune',
        iamAuth: false,
        region: REGION,
      });
    });

    it('reads the lower-cased spelling of the advanced-query schema as well', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'compliant-iam-auth-on-schema-spelling');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts).to.include({ identifier: 'fraud-graph', engine: 'neptune', iamAuth: true });
    });

    const shapes: { title: string; value: unknown; iamAuth: NeptuneClusterFacts['iamAuth'] }[] = [
      { title: 'the string "true" (as some items carry booleans)', value: 'true', iamAuth: true },
      { title: 'null', value: null, iamAuth: 'absent' },
      { title: 'a number', value: 1, iamAuth: 'unreadable' },
      { title: 'an object', value: { value: true }, iamAuth: 'unreadable' },
    ];
    for (const shape of shapes) {
      it(`reads the flag as ${String(shape.iamAuth)} when it is ${shape.title}`, () => {
        // Prepare
        const base = loadConfigurationItem(FOLDER, 'noncompliant-iam-auth-off');
        const item: ConfigurationItem = {
          ...base,
          configuration: {
            ...(base.configuration as object),
            iAMDatabaseAuthenticationEnabled: shape.value,
          },
        };
        // Act
        const facts = rule.fromConfigurationItem!(item);
        // Assess
        expect(facts.iamAuth).to.equal(shape.iamAuth);
      });
    }

    it('calls a flag recorded in two spellings with different values unreadable, not either one', () => {
      // Prepare
      const base = loadConfigurationItem(FOLDER, 'noncompliant-iam-auth-off');
      const item: ConfigurationItem = {
        ...base,
        configuration: {
          ...(base.configuration as object),
          iAMDatabaseAuthenticationEnabled: false,
          iamdatabaseAuthenticationEnabled: true,
        },
      };
      // Act
      const verdict = rule.evaluate(rule.fromConfigurationItem!(item), NO_PARAMS);
      // Assess
      expect(verdict.compliance).to.equal('NON_COMPLIANT');
      expect(verdict.annotation).to.match(/could not be read/);
    });
  });

  describe('the handler on change notifications (dry run)', () => {
    tester.runChangeHandler({
      folder: FOLDER,
      now: new Date(`${TODAY}T13:00:00Z`),
      fixtures: [
        {
          fixture: 'compliant-iam-auth-on',
          compliance: 'COMPLIANT',
          annotation: /^Neptune cluster "fraud-graph" requires IAM database authentication/,
        },
        {
          fixture: 'compliant-iam-auth-on-schema-spelling',
          compliance: 'COMPLIANT',
          annotation: /^Neptune cluster "fraud-graph" requires IAM database authentication/,
        },
        {
          fixture: 'noncompliant-iam-auth-off',
          compliance: 'NON_COMPLIANT',
          annotation: /^Neptune cluster "fraud-graph" does not require IAM database authentication: /,
        },
        {
          fixture: 'noncompliant-iam-auth-absent',
          compliance: 'NON_COMPLIANT',
          annotation:
            /^Neptune cluster "lineage-graph" does not require IAM database authentication \(not set/,
        },
        {
          fixture: 'not-applicable-aurora-postgresql',
          compliance: 'NOT_APPLICABLE',
          annotation: /^DB cluster "ledger" runs aurora-postgresql, not Neptune\.$/,
        },
      ],
      exception: {
        fixture: 'noncompliant-iam-auth-off',
        tags: {
          'authn-exception/Neptune.7': JUSTIFICATION,
          'authn-exception-expires/Neptune.7': '2026-12-31',
        },
        annotation: `Exception: ${JUSTIFICATION} (expires 2026-12-31)`,
      },
      failing: 'noncompliant-iam-auth-off',
    });
  });

  describe('exceptions through decide', () => {
    tester.runExceptions({
      failing: cluster({ iamAuth: false }),
      valid: [
        {
          title: 'an exception for the cluster → COMPLIANT "Exception: …"',
          tags: { 'authn-exception/Neptune.7': JUSTIFICATION },
          code: 'neptune-iam-auth-disabled',
          annotation: new RegExp(`^Exception: ${JUSTIFICATION} \\(no expiry\\)$`),
        },
      ],
      invalid: [
        {
          title: 'an expired exception → NON_COMPLIANT naming the expiry tag',
          tags: {
            'authn-exception/Neptune.7': JUSTIFICATION,
            'authn-exception-expires/Neptune.7': '2026-10-02',
          },
          code: 'exception-tag-invalid',
          annotation: /^Exception tag authn-exception-expires\/Neptune\.7 not honoured/,
        },
      ],
    });
  });

  describe('sweep: DescribeDBClusters filtered to Neptune, SDK-shaped answers', () => {
    let neptune: AwsClientStub<NeptuneClient>;
    const client = new NeptuneClient({ region: REGION });
    beforeEach(() => {
      neptune = mockClient(NeptuneClient);
    });
    afterEach(() => {
      neptune.restore();
    });

    const arnOf = (name: string): string => `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${name}`;
    const described = (name: string, iam: boolean | undefined, resourceId: string): DBCluster => ({
      DBClusterIdentifier: name,
      DBClusterArn: arnOf(name),
      DbClusterResourceId: resourceId,
      Engine: 'neptune',
      EngineVersion: '1.3.2.1',
      Status: 'available',
      Port: 8182,
      Endpoint: `${name}.cluster-c7tj4example.${REGION}.neptune.amazonaws.com`,
      MultiAZ: false,
      StorageEncrypted: true,
      DeletionProtection: true,
      ...(iam === undefined ? {} : { IAMDatabaseAuthenticationEnabled: iam }),
    });
    const signed = described('identity-graph', true, 'cluster-AAAA1111BBBB2222CCCC3333DD');
    const open = described('fraud-graph', false, 'cluster-5DSWVUHWDH2LBXFGVEZJRDAG4E');

    function servePages(
      pages: Record<string, DescribeDBClustersCommandOutput>,
    ): DescribeDBClustersCommandInput[] {
      const inputs: DescribeDBClustersCommandInput[] = [];
      neptune.on(DescribeDBClustersCommand).callsFake((input: DescribeDBClustersCommandInput) => {
        // The paginator reuses one input object: keep what each call sent.
        inputs.push({ ...input });
        return pages[input.Marker ?? 'first'];
      });
      return inputs;
    }

    it('asks only for engine neptune, follows Marker and names each cluster by its ARN', async () => {
      // Prepare
      const inputs = servePages({
        first: { DBClusters: [signed], Marker: 'page-2', $metadata: {} },
        'page-2': { DBClusters: [open], $metadata: {} },
      });
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(inputs.map((input) => input.Filters)).to.deep.equal([
        [{ Name: 'engine', Values: ['neptune'] }],
        [{ Name: 'engine', Values: ['neptune'] }],
      ]);
      expect(inputs.map((input) => input.Marker)).to.deep.equal([undefined, 'page-2']);
      expect(swept.map((resource) => [resource.resourceType, resource.resourceId])).to.deep.equal([
        ['AWS::RDS::DBCluster', arnOf('identity-graph')],
        ['AWS::RDS::DBCluster', arnOf('fraud-graph')],
      ]);
      expect(swept.map((resource) => rule.evaluate(resource.facts, NO_PARAMS).compliance)).to.deep.equal([
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
    });

    it('reads tags with ListTagsForResource only for the failing cluster, and honours its exception', async () => {
      // Prepare
      servePages({ first: { DBClusters: [signed, open], $metadata: {} } });
      neptune.on(ListTagsForResourceCommand, { ResourceName: arnOf('fraud-graph') }).resolves({
        TagList: [{ Key: 'authn-exception/Neptune.7', Value: JUSTIFICATION }],
      });
      const swept = await rule.sweep(client, CONTEXT);
      // Act
      const verdicts = await Promise.all(
        swept.map((resource) => decideSwept(rule, resource, NO_PARAMS, EXCEPTIONS)),
      );
      // Assess
      expect(
        neptune.commandCalls(ListTagsForResourceCommand).map((call) => call.args[0].input.ResourceName),
      ).to.deep.equal([arnOf('fraud-graph')]);
      expect(verdicts.map((verdict) => verdict.compliance)).to.deep.equal(['COMPLIANT', 'COMPLIANT']);
      expect(verdicts[1]?.annotation).to.equal(`Exception: ${JUSTIFICATION} (no expiry)`);
    });

    it('a cluster whose answer lacks the flag fails (absent is off)', async () => {
      // Prepare
      servePages({
        first: { DBClusters: [described('lineage-graph', undefined, 'cluster-R3QJ')], $metadata: {} },
      });
      // Act
      const [only] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(only?.facts.iamAuth).to.equal('absent');
      expect(rule.evaluate(only!.facts, NO_PARAMS).compliance).to.equal('NON_COMPLIANT');
    });

    it('fails closed when the tags of a failing cluster cannot be read', async () => {
      // Prepare
      servePages({ first: { DBClusters: [open], $metadata: {} } });
      neptune.on(ListTagsForResourceCommand).rejects(new Error('AccessDenied: rds:ListTagsForResource'));
      const [only] = await rule.sweep(client, CONTEXT);
      // Act
      const verdict = await decideSwept(rule, only!, NO_PARAMS, EXCEPTIONS);
      // Assess
      expect(verdict.compliance).to.equal('NON_COMPLIANT');
      expect(verdict.annotation).to.match(/Exception tags could not be read: AccessDenied/);
    });
  });
});
