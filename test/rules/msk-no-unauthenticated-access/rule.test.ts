import {
  KafkaClient,
  ListClustersV2Command,
  ListTagsForResourceCommand,
  type Cluster,
  type ListClustersV2CommandInput,
  type ListClustersV2CommandOutput,
} from '@aws-sdk/client-kafka';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { decideSwept } from '../../../rules/core/decide';
import type { ConfigurationItem } from '../../../rules/core/types';
import { clusterRemediation } from '../../../rules/msk-no-unauthenticated-access/decision';
import type {
  ClientAuthenticationFacts,
  ClusterFacts,
} from '../../../rules/msk-no-unauthenticated-access/facts';
import { mskNoUnauthenticatedAccess as rule } from '../../../rules/msk-no-unauthenticated-access/rule';
import { loadConfigurationItem } from '../../fixtures/config-items';
import { ACCOUNT, REGION } from '../../helpers/events';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';

const FOLDER = 'msk-no-unauthenticated-access';
const TODAY = '2026-10-02';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
const NO_PARAMS = {};
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });
const VALID_EXCEPTION = { 'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over' };
const EXPIRED_EXCEPTION = { ...VALID_EXCEPTION, 'authn-exception-expires/MSK.6': '2020-01-01' };

const NONE_ENABLED: ClientAuthenticationFacts = {
  unauthenticated: false,
  iam: false,
  scram: false,
  tls: false,
};

function cluster(overrides: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    name: 'clickstream',
    arn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3`,
    clusterType: undefined,
    clientAuthentication: { ...NONE_ENABLED, iam: true },
    inClusterEncryption: true,
    publicAccess: false,
    region: REGION,
    ...overrides,
  };
}

describe('MSK.6 authn-msk-no-unauthenticated-access', () => {
  describe('evaluate: the verdict table', () => {
    tester.run({
      valid: [
        {
          title: 'IAM enabled and unauthenticated access off → COMPLIANT',
          facts: cluster({ clientAuthentication: { ...NONE_ENABLED, iam: true } }),
          code: 'msk-authentication-required',
          annotation: /^MSK cluster "clickstream" requires client authentication \(IAM\)/,
        },
        {
          title: 'SASL/SCRAM alone → COMPLIANT',
          facts: cluster({ clientAuthentication: { ...NONE_ENABLED, scram: true } }),
          code: 'msk-authentication-required',
          annotation: /\(SASL\/SCRAM\)/,
        },
        {
          title: 'mutual TLS alone, unauthenticated flag absent → COMPLIANT',
          facts: cluster({
            clientAuthentication: { ...NONE_ENABLED, unauthenticated: undefined, tls: true },
          }),
          code: 'msk-authentication-required',
          annotation: /\(mutual TLS\)/,
        },
      ],
      invalid: [
        {
          title: 'unauthenticated access on with nothing else → NON_COMPLIANT',
          facts: cluster({ clientAuthentication: { ...NONE_ENABLED, unauthenticated: true } }),
          code: 'msk-unauthenticated-only',
          annotation:
            /^MSK cluster "clickstream" allows unauthenticated clients\. Enable IAM, SASL\/SCRAM or mutual TLS/,
        },
        {
          title:
            'unauthenticated access on beside IAM and SCRAM → NON_COMPLIANT, "supplemented but not removed" naming both',
          facts: cluster({
            clientAuthentication: { unauthenticated: true, iam: true, scram: true, tls: false },
          }),
          code: 'msk-unauthenticated-enabled',
          annotation:
            /allows unauthenticated clients beside IAM, SASL\/SCRAM: supplemented but not removed\. Disable unauthenticated access/,
        },
        {
          title: 'unauthenticated access on beside mutual TLS → NON_COMPLIANT naming mutual TLS',
          facts: cluster({ clientAuthentication: { ...NONE_ENABLED, unauthenticated: true, tls: true } }),
          code: 'msk-unauthenticated-enabled',
          annotation: /beside mutual TLS: supplemented but not removed/,
        },
        {
          title: 'ClientAuthentication absent → NON_COMPLIANT (MSK then accepts anyone)',
          facts: cluster({ clientAuthentication: undefined }),
          code: 'msk-authentication-none',
          annotation: /has no client authentication, so it accepts any client/,
        },
        {
          title: 'ClientAuthentication present but no mechanism enabled → NON_COMPLIANT',
          facts: cluster({ clientAuthentication: NONE_ENABLED }),
          code: 'msk-mechanism-none',
          annotation: /enables no authentication mechanism, so it accepts any client/,
        },
      ],
      notApplicable: [
        {
          title: 'serverless cluster (sweep only) → NOT_APPLICABLE',
          facts: cluster({ clusterType: 'SERVERLESS', clientAuthentication: undefined }),
          code: 'msk-serverless',
          annotation: /is serverless/,
        },
      ],
    });

    const failing: { title: string; auth: ClientAuthenticationFacts | undefined }[] = [
      { title: 'no ClientAuthentication', auth: undefined },
      { title: 'unauthenticated access only', auth: { ...NONE_ENABLED, unauthenticated: true } },
      { title: 'no mechanism enabled', auth: NONE_ENABLED },
    ];
    for (const { title, auth } of failing) {
      it(`says "recreate" when InCluster=false (${title}), within 256 characters for a 64-character name`, () => {
        // Prepare
        const facts = cluster({
          name: 'n'.repeat(64),
          clientAuthentication: auth,
          inClusterEncryption: false,
        });
        // Act
        const verdict = rule.evaluate(facts, NO_PARAMS);
        // Assess
        expect(verdict.compliance).to.equal('NON_COMPLIANT');
        expect(verdict.annotation).to.match(/cannot be enabled in place: recreate the cluster/);
        expect(verdict.annotation.length).to.be.at.most(256);
      });

      it(`does not say "recreate" when InCluster=true (${title})`, () => {
        // Prepare
        const facts = cluster({ clientAuthentication: auth, inClusterEncryption: true });
        // Act
        const verdict = rule.evaluate(facts, NO_PARAMS);
        // Assess
        expect(verdict.compliance).to.equal('NON_COMPLIANT');
        expect(verdict.annotation).not.to.match(/recreate/);
      });
    }

    it('remediation turns IAM on and unauthenticated access off for the cluster ARN', () => {
      // Prepare
      const facts = cluster();
      // Act
      const command = clusterRemediation(facts);
      // Assess
      expect(command).to.include(
        `aws kafka update-security --region ${REGION} --cluster-arn ${facts.arn ?? ''}`,
      );
      expect(command).to.include('"Unauthenticated":{"Enabled":false}');
    });
  });

  describe('fromConfigurationItem: CIs as Config sends them', () => {
    it('reads ClientAuthentication, InCluster and the name from a PascalCase CI', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'noncompliant-unauthenticated-beside-iam-and-scram');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts).to.deep.equal({
        name: 'orders-stream',
        arn: item.ARN,
        clusterType: undefined,
        clientAuthentication: { unauthenticated: true, iam: true, scram: true, tls: false },
        inClusterEncryption: true,
        publicAccess: false,
        region: REGION,
      });
    });

    it('treats a certificate authority list without an Enabled flag as mutual TLS', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'compliant-mtls-certificate-authorities');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts.clientAuthentication).to.deep.equal({
        unauthenticated: false,
        iam: false,
        scram: false,
        tls: true,
      });
    });

    it('reads an absent ClientAuthentication as undefined and InCluster=false as false', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'noncompliant-no-client-authentication-plaintext');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts.clientAuthentication).to.be.undefined;
      expect(facts.inClusterEncryption).to.equal(false);
    });

    it('reads "true"/"false" strings as booleans', () => {
      // Prepare
      const base = loadConfigurationItem(FOLDER, 'compliant-iam');
      const item: ConfigurationItem = {
        ...base,
        configuration: {
          ClusterName: 'stringly',
          ClientAuthentication: { Sasl: { Iam: { Enabled: 'true' } }, Unauthenticated: { Enabled: 'true' } },
        },
      };
      // Act
      const verdict = rule.evaluate(rule.fromConfigurationItem!(item), NO_PARAMS);
      // Assess
      expect(verdict.compliance).to.equal('NON_COMPLIANT');
      expect(verdict.annotation).to.match(/beside IAM: supplemented but not removed/);
    });
  });

  describe('the handler on change notifications (dry run)', () => {
    tester.runChangeHandler({
      folder: FOLDER,
      now: new Date(`${TODAY}T12:00:00Z`),
      fixtures: [
        {
          fixture: 'compliant-iam',
          compliance: 'COMPLIANT',
          annotation: /"clickstream" requires client authentication \(IAM\)/,
        },
        {
          fixture: 'compliant-mtls-certificate-authorities',
          compliance: 'COMPLIANT',
          annotation: /"payments-events" requires client authentication \(mutual TLS\)/,
        },
        {
          fixture: 'noncompliant-unauthenticated-beside-iam-and-scram',
          compliance: 'NON_COMPLIANT',
          annotation:
            /"orders-stream" allows unauthenticated clients beside IAM, SASL\/SCRAM: supplemented but not removed/,
        },
        {
          fixture: 'noncompliant-no-client-authentication-plaintext',
          compliance: 'NON_COMPLIANT',
          annotation: /"legacy-telemetry" has no client authentication.*recreate the cluster/,
        },
      ],
      exception: {
        fixture: 'noncompliant-unauthenticated-beside-iam-and-scram',
        tags: {
          'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over',
          'authn-exception-expires/MSK.6': '2026-12-31',
        },
        annotation: 'Exception: legacy producers until the Q2 cut-over (expires 2026-12-31)',
      },
      failing: 'noncompliant-no-client-authentication-plaintext',
    });
  });

  describe('exceptions through decide', () => {
    const failing = cluster({ clientAuthentication: { ...NONE_ENABLED, unauthenticated: true } });

    tester.runExceptions({
      failing,
      valid: [
        {
          title: 'a justification without expiry exempts the cluster: COMPLIANT "Exception: … (no expiry)"',
          tags: { 'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over' },
          code: 'msk-unauthenticated-only',
          annotation: /^Exception: legacy producers until the Q2 cut-over \(no expiry\)$/,
        },
        {
          title: 'an expiry of today is still valid',
          tags: {
            'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over',
            'authn-exception-expires/MSK.6': TODAY,
          },
          code: 'msk-unauthenticated-only',
          annotation: new RegExp(`\\(expires ${TODAY}\\)$`),
        },
        {
          title: 'a custom ExceptionTagPrefix is honoured',
          tags: { 'sec-waiver/MSK.6': 'legacy producers until the Q2 cut-over' },
          settings: { prefix: 'sec-waiver' },
          code: 'msk-unauthenticated-only',
          annotation: /^Exception: legacy producers/,
        },
      ],
      invalid: [
        ...tester.conventionCases({
          justification: 'legacy producers until the Q2 cut-over',
          expired: '2026-10-01',
          unreadableExpiry: '31/12/2026',
          shortJustification: 'legacy',
          otherControl: 'DMS.11',
          failingCode: 'msk-unauthenticated-only',
          failingAnnotation: /^MSK cluster "clickstream" allows unauthenticated clients/,
        }),
        {
          title: 'with a custom prefix the default-prefix tag no longer counts',
          tags: { 'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over' },
          settings: { prefix: 'sec-waiver' },
          code: 'msk-unauthenticated-only',
          annotation: /^MSK cluster "clickstream" allows unauthenticated clients/,
        },
      ],
      untouched: [
        {
          title: 'never changes a COMPLIANT verdict, whether the exception is valid or expired',
          facts: cluster(),
          compliance: 'COMPLIANT',
          tags: [VALID_EXCEPTION, EXPIRED_EXCEPTION],
        },
        {
          title: 'never changes a NOT_APPLICABLE verdict, whether the exception is valid or expired',
          facts: cluster({ clusterType: 'SERVERLESS' }),
          compliance: 'NOT_APPLICABLE',
          tags: [VALID_EXCEPTION, EXPIRED_EXCEPTION],
        },
      ],
    });
  });

  describe('sweep: ListClustersV2', () => {
    let kafka: AwsClientStub<KafkaClient>;
    const client = new KafkaClient({ region: REGION });
    beforeEach(() => {
      kafka = mockClient(KafkaClient);
    });
    afterEach(() => {
      kafka.restore();
    });

    const provisioned = (
      name: string,
      auth: NonNullable<Cluster['Provisioned']>['ClientAuthentication'],
      tags: Record<string, string> = {},
    ): Cluster => ({
      ClusterArn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/${name}/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-1`,
      ClusterName: name,
      ClusterType: 'PROVISIONED',
      State: 'ACTIVE',
      CurrentVersion: 'K3AEGXETSR30VB',
      Tags: tags,
      Provisioned: {
        BrokerNodeGroupInfo: {
          ClientSubnets: ['subnet-0a1', 'subnet-0b2', 'subnet-0c3'],
          InstanceType: 'kafka.m7g.large',
          ConnectivityInfo: { PublicAccess: { Type: 'DISABLED' } },
        },
        NumberOfBrokerNodes: 3,
        CurrentBrokerSoftwareInfo: { KafkaVersion: '3.5.1' },
        ...(auth === undefined ? {} : { ClientAuthentication: auth }),
        EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
      },
    });

    it('follows NextToken and reports every cluster by its ClusterArn', async () => {
      // Prepare
      const first = provisioned('clickstream', {
        Sasl: { Iam: { Enabled: true } },
        Unauthenticated: { Enabled: false },
      });
      const second = provisioned('orders-stream', { Unauthenticated: { Enabled: true } });
      const pages: Record<string, ListClustersV2CommandOutput> = {
        first: { ClusterInfoList: [first], NextToken: 'page-2', $metadata: {} },
        'page-2': { ClusterInfoList: [second], $metadata: {} },
      };
      const tokens: (string | undefined)[] = [];
      kafka.on(ListClustersV2Command).callsFake((input: ListClustersV2CommandInput) => {
        tokens.push(input.NextToken);
        return pages[input.NextToken ?? 'first'];
      });
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(tokens).to.deep.equal([undefined, 'page-2']);
      expect(
        swept.map((resource) => [resource.resourceType, resource.resourceId, resource.resourceName]),
      ).to.deep.equal([
        ['AWS::MSK::Cluster', first.ClusterArn, 'clickstream'],
        ['AWS::MSK::Cluster', second.ClusterArn, 'orders-stream'],
      ]);
      expect(swept.map((resource) => rule.evaluate(resource.facts, NO_PARAMS).compliance)).to.deep.equal([
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
    });

    it('reads Provisioned.ClientAuthentication and InCluster from the API shape', async () => {
      // Prepare
      const found = provisioned('legacy', undefined);
      found.Provisioned!.EncryptionInfo = {
        EncryptionInTransit: { ClientBroker: 'PLAINTEXT', InCluster: false },
      };
      kafka.on(ListClustersV2Command).resolves({ ClusterInfoList: [found] });
      // Act
      const [resource] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(resource?.facts.clientAuthentication).to.be.undefined;
      expect(resource?.facts.inClusterEncryption).to.equal(false);
      expect(rule.evaluate(resource!.facts, NO_PARAMS).annotation).to.match(/recreate the cluster/);
    });

    it('reports serverless clusters NOT_APPLICABLE', async () => {
      // Prepare
      kafka.on(ListClustersV2Command).resolves({
        ClusterInfoList: [
          {
            ClusterArn: `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/events-serverless/7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d-s1`,
            ClusterName: 'events-serverless',
            ClusterType: 'SERVERLESS',
            State: 'ACTIVE',
            Serverless: {
              VpcConfigs: [{ SubnetIds: ['subnet-0a1'] }],
              ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
            },
          },
        ],
      });
      // Act
      const [resource] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(rule.evaluate(resource!.facts, NO_PARAMS).compliance).to.equal('NOT_APPLICABLE');
    });

    it('takes tags inline from ListClustersV2: an exception applies with no ListTagsForResource call', async () => {
      // Prepare
      const exempt = provisioned(
        'orders-stream',
        { Unauthenticated: { Enabled: true } },
        {
          'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over',
        },
      );
      kafka.on(ListClustersV2Command).resolves({ ClusterInfoList: [exempt] });
      const [resource] = await rule.sweep(client, CONTEXT);
      // Act
      const verdict = await decideSwept(rule, resource!, NO_PARAMS, EXCEPTIONS);
      // Assess
      expect(verdict.compliance).to.equal('COMPLIANT');
      expect(verdict.annotation).to.match(/^Exception: legacy producers/);
      expect(kafka.commandCalls(ListTagsForResourceCommand)).to.have.length(0);
    });

    it('lets a failing ListClustersV2 call reject the sweep (nothing is silently dropped)', async () => {
      // Prepare
      kafka.on(ListClustersV2Command).rejects(new Error('AccessDeniedException: not authorized'));
      // Act
      const outcome = await rule.sweep(client, CONTEXT).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      // Assess
      expect(outcome).to.match(/AccessDeniedException/);
    });
  });
});
