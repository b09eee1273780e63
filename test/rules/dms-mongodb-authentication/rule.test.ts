import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  DatabaseMigrationServiceClient,
  DescribeEndpointsCommand,
  ListTagsForResourceCommand,
  type DescribeEndpointsCommandInput,
  type DescribeEndpointsCommandOutput,
  type Endpoint,
} from '@aws-sdk/client-database-migration-service';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { decideSwept } from '../../../rules/core/decide';
import { createConfigRuleHandler } from '../../../rules/core/handler';
import { silentLog } from '../../../rules/core/log';
import type { ConfigurationItem } from '../../../rules/core/types';
import { endpointRemediation } from '../../../rules/dms-mongodb-authentication/decision';
import type { EndpointFacts } from '../../../rules/dms-mongodb-authentication/facts';
import { dmsMongodbAuthentication as rule } from '../../../rules/dms-mongodb-authentication/rule';
import { loadConfigurationItem } from '../../fixtures/config-items';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';
import { ACCOUNT, REGION, oversizedEvent } from '../../helpers/events';

const FOLDER = 'dms-mongodb-authentication';
const TODAY = '2026-10-03';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
const NO_PARAMS = {};
const JUSTIFICATION = 'source cluster retired on 2026-11-15';
const EXPIRED_EXCEPTION = {
  'authn-exception/DMS.11': JUSTIFICATION,
  'authn-exception-expires/DMS.11': '2020-01-01',
};
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });

function endpoint(overrides: Partial<EndpointFacts> = {}): EndpointFacts {
  return {
    identifier: 'catalog-mongo-source',
    arn: `arn:aws:dms:${REGION}:${ACCOUNT}:endpoint:Q7K3M1ZP2XJ4W`,
    engineName: 'mongodb',
    endpointType: 'source',
    authType: 'password',
    authMechanism: 'scram_sha_1',
    region: REGION,
    ...overrides,
  };
}

describe('DMS.11 authn-dms-mongodb-authentication', () => {
  describe('evaluate: the verdict table', () => {
    tester.run({
      valid: [
        {
          title: 'AuthType password with scram_sha_1 → COMPLIANT',
          facts: endpoint(),
          code: 'dms-auth-password',
          annotation:
            /^DMS source endpoint "catalog-mongo-source" authenticates to MongoDB with a password\.$/,
        },
        {
          title: 'AuthType password with the default mechanism → COMPLIANT',
          facts: endpoint({ authMechanism: 'default' }),
          code: 'dms-auth-password',
          annotation: /authenticates to MongoDB with a password/,
        },
        {
          title: 'AuthType password with legacy mongodb_cr → COMPLIANT, recommending scram_sha_1',
          facts: endpoint({ authMechanism: 'mongodb_cr' }),
          code: 'dms-auth-legacy-mongodb-cr',
          annotation: /MONGODB-CR, a legacy MongoDB 2\.x mechanism: switch AuthMechanism to scram_sha_1/,
        },
      ],
      invalid: [
        {
          title: 'AuthType no → NON_COMPLIANT',
          facts: endpoint({ authType: 'no', authMechanism: undefined }),
          code: 'dms-auth-none',
          annotation:
            /^DMS source endpoint "catalog-mongo-source" connects to MongoDB without authentication \(AuthType=no\)\. Set AuthType=password/,
        },
        {
          title: 'AuthType absent → NON_COMPLIANT "authentication type not set"',
          facts: endpoint({ authType: undefined, authMechanism: undefined }),
          code: 'dms-auth-unset',
          annotation: /"catalog-mongo-source": MongoDB authentication type not set\. Set AuthType=password/,
        },
        {
          title: 'an AuthType DMS does not define → NON_COMPLIANT (fail closed)',
          facts: endpoint({ authType: 'kerberos' }),
          code: 'dms-auth-unrecognised',
          annotation: /unrecognised MongoDB AuthType "kerberos"/,
        },
        {
          title: 'a target endpoint is judged like a source: AuthType no → NON_COMPLIANT',
          facts: endpoint({ endpointType: 'target', authType: 'no' }),
          code: 'dms-auth-none',
          annotation: /^DMS target endpoint .* without authentication/,
        },
        {
          title: 'EngineName unreadable → NON_COMPLIANT (MongoDB cannot be ruled out)',
          facts: endpoint({ engineName: undefined, authType: undefined }),
          code: 'dms-engine-unreadable',
          annotation: /engine could not be read/,
        },
      ],
      notApplicable: [
        {
          title: 'EngineName postgres → NOT_APPLICABLE',
          facts: endpoint({ engineName: 'postgres', authType: undefined }),
          code: 'dms-not-mongodb',
          annotation: /uses postgres, not MongoDB/,
        },
        {
          title: 'EngineName docdb (DocumentDB, no AuthType) → NOT_APPLICABLE',
          facts: endpoint({ engineName: 'docdb', authType: undefined }),
          code: 'dms-not-mongodb',
          annotation: /uses docdb, not MongoDB/,
        },
      ],
    });

    it('remediation sets AuthType=password with scram_sha_1 on the endpoint ARN, without any secret value', () => {
      // Prepare
      const facts = endpoint({ authType: 'no' });
      // Act
      const command = endpointRemediation(facts);
      // Assess
      expect(command).to.include(
        `aws dms modify-endpoint --region ${REGION} --endpoint-arn ${facts.arn ?? ''}`,
      );
      expect(command).to.include('AuthType=password,AuthMechanism=scram_sha_1');
      expect(command).not.to.match(/Password=/);
    });
  });

  describe('fromConfigurationItem: CIs as Config sends them', () => {
    it('reads EngineName, EndpointType and MongoDbSettings.AuthType/AuthMechanism (CloudFormation names)', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'compliant-mongodb-legacy-mongodb-cr');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts).to.deep.equal({
        identifier: 'inventory-mongo2-source',
        arn: item.ARN,
        engineName: 'mongodb',
        endpointType: 'source',
        authType: 'password',
        authMechanism: 'mongodb_cr',
        region: REGION,
      });
    });

    it('never copies the password or user name into facts or the annotation', () => {
      // Prepare
      const base = loadConfigurationItem(FOLDER, 'noncompliant-mongodb-auth-type-no');
      const configuration = base.configuration as Record<string, unknown>;
      const item: ConfigurationItem = {
        ...base,
        configuration: {
          ...configuration,
          Password: 'Sup3r-S3cret-Pa55',
          MongoDbSettings: {
            ...(configuration.MongoDbSettings as object),
            Username: 'dms_admin',
            Password: 'Sup3r-S3cret-Pa55',
          },
        },
      };
      // Act
      const facts = rule.fromConfigurationItem!(item);
      const verdict = rule.evaluate(facts, NO_PARAMS);
      // Assess
      const everything = JSON.stringify([facts, verdict, rule.remediation(facts)]);
      expect(everything).not.to.include('Sup3r-S3cret-Pa55');
      expect(everything).not.to.include('dms_admin');
      expect(verdict.compliance).to.equal('NON_COMPLIANT');
    });
  });

  describe('the handler on change notifications (dry run)', () => {
    tester.runChangeHandler({
      folder: FOLDER,
      now: new Date(`${TODAY}T13:00:00Z`),
      fixtures: [
        {
          fixture: 'compliant-mongodb-password-scram',
          compliance: 'COMPLIANT',
          annotation:
            /^DMS target endpoint "catalog-mongo-target" authenticates to MongoDB with a password\.$/,
        },
        {
          fixture: 'compliant-mongodb-legacy-mongodb-cr',
          compliance: 'COMPLIANT',
          annotation: /"inventory-mongo2-source" authenticates with MONGODB-CR.*scram_sha_1/,
        },
        {
          fixture: 'noncompliant-mongodb-auth-type-no',
          compliance: 'NON_COMPLIANT',
          annotation: /"events-mongo-source" connects to MongoDB without authentication \(AuthType=no\)/,
        },
        {
          fixture: 'noncompliant-mongodb-auth-type-absent',
          compliance: 'NON_COMPLIANT',
          annotation: /"archive-mongo-target": MongoDB authentication type not set/,
        },
        {
          fixture: 'not-applicable-postgresql',
          compliance: 'NOT_APPLICABLE',
          annotation: /"billing-postgres-source" uses postgres, not MongoDB/,
        },
      ],
      exception: {
        fixture: 'noncompliant-mongodb-auth-type-no',
        tags: {
          'authn-exception/DMS.11': JUSTIFICATION,
          'authn-exception-expires/DMS.11': '2026-11-15',
        },
        annotation: `Exception: ${JUSTIFICATION} (expires 2026-11-15)`,
      },
      failing: 'noncompliant-mongodb-auth-type-no',
    });
  });

  describe('the handler on an oversized notification', () => {
    let config: AwsClientStub<ConfigServiceClient>;
    beforeEach(() => {
      config = mockClient(ConfigServiceClient);
    });
    afterEach(() => {
      config.restore();
    });

    it('fetches the item with GetResourceConfigHistory, reads its JSON-string configuration and delivers the verdict', async () => {
      // Prepare
      const ci = loadConfigurationItem(FOLDER, 'noncompliant-mongodb-auth-type-no');
      config.on(GetResourceConfigHistoryCommand).resolves({
        configurationItems: [
          {
            version: '1.3',
            accountId: ACCOUNT,
            configurationItemCaptureTime: new Date(ci.configurationItemCaptureTime),
            configurationItemStatus: 'OK',
            configurationStateId: '1727956805000',
            configurationItemMD5Hash: '',
            arn: ci.ARN,
            resourceType: 'AWS::DMS::Endpoint',
            resourceId: ci.resourceId,
            resourceName: ci.resourceName,
            awsRegion: REGION,
            availabilityZone: 'Not Applicable',
            tags: ci.tags,
            relatedEvents: [],
            relationships: [],
            configuration: JSON.stringify(ci.configuration),
            supplementaryConfiguration: {},
          },
        ],
      });
      config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
      const handle = createConfigRuleHandler(rule, {
        log: silentLog,
        createConfigClient: () => new ConfigServiceClient({ region: REGION }),
      });
      const event = oversizedEvent({
        resourceType: 'AWS::DMS::Endpoint',
        resourceId: ci.resourceId,
        resourceName: 'events-mongo-source',
        captureTime: ci.configurationItemCaptureTime,
      });
      // Act
      const result = await handle(event);
      // Assess
      const history = config.commandCalls(GetResourceConfigHistoryCommand);
      expect(history).to.have.length(1);
      expect(history[0]?.args[0].input).to.deep.include({ resourceId: ci.resourceId, limit: 1 });
      expect(history[0]?.args[0].input.laterTime?.toISOString()).to.equal(ci.configurationItemCaptureTime);
      const sent = config.commandCalls(PutEvaluationsCommand)[0]?.args[0].input.Evaluations;
      expect(sent).to.have.length(1);
      expect(sent?.[0]).to.include({
        ComplianceResourceType: 'AWS::DMS::Endpoint',
        ComplianceResourceId: ci.resourceId,
        ComplianceType: 'NON_COMPLIANT',
      });
      expect(sent?.[0]?.Annotation).to.match(/AuthType=no/);
      expect(result.delivered).to.equal(1);
    });
  });

  describe('exceptions through decide', () => {
    const failing = endpoint({ authType: 'no' });

    tester.runExceptions({
      failing: failing,
      valid: [
        {
          title: 'a resource-level exception → COMPLIANT "Exception: …"',
          tags: { 'authn-exception/DMS.11': JUSTIFICATION },
          code: 'dms-auth-none',
          annotation: new RegExp(`^Exception: ${JUSTIFICATION} \\(no expiry\\)$`),
        },
        {
          title: 'a custom ExceptionTagPrefix is honoured',
          tags: { 'waiver/DMS.11': JUSTIFICATION, 'waiver-expires/DMS.11': '2026-11-15' },
          settings: { prefix: 'waiver' },
          code: 'dms-auth-none',
          annotation: /\(expires 2026-11-15\)$/,
        },
      ],
      invalid: [
        ...tester.conventionCases({
          justification: JUSTIFICATION,
          expired: '2026-10-02',
          unreadableExpiry: 'end of Q4',
          shortJustification: 'temporary',
          otherControl: 'MSK.6',
          failingCode: 'dms-auth-none',
          failingAnnotation:
            /^DMS source endpoint "catalog-mongo-source" connects to MongoDB without authentication/,
        }),
      ],
      untouched: [
        {
          title: 'never changes a COMPLIANT verdict, even with an expired exception',
          facts: endpoint(),
          compliance: 'COMPLIANT',
          tags: [EXPIRED_EXCEPTION],
        },
        {
          title: 'never changes a NOT_APPLICABLE verdict, even with an expired exception',
          facts: endpoint({ engineName: 'postgres' }),
          compliance: 'NOT_APPLICABLE',
          tags: [EXPIRED_EXCEPTION],
        },
      ],
    });
  });

  describe('sweep: DescribeEndpoints, tags read only where a verdict may change', () => {
    let dms: AwsClientStub<DatabaseMigrationServiceClient>;
    const client = new DatabaseMigrationServiceClient({ region: REGION });
    beforeEach(() => {
      dms = mockClient(DatabaseMigrationServiceClient);
    });
    afterEach(() => {
      dms.restore();
    });

    const arnOf = (suffix: string): string => `arn:aws:dms:${REGION}:${ACCOUNT}:endpoint:${suffix}`;
    const mongo = (identifier: string, suffix: string, settings: Endpoint['MongoDbSettings']): Endpoint => ({
      EndpointIdentifier: identifier,
      EndpointArn: arnOf(suffix),
      EndpointType: 'source',
      EngineName: 'mongodb',
      EngineDisplayName: 'MongoDB',
      Status: 'active',
      ServerName: `${identifier}.internal`,
      Port: 27017,
      SslMode: 'none',
      MongoDbSettings: settings,
    });
    const passwordScram = mongo('catalog-mongo-source', 'AAAAPASSWORD1', {
      AuthType: 'password',
      AuthMechanism: 'scram_sha_1',
      AuthSource: 'admin',
      Username: 'dms_reader',
    });
    const postgres: Endpoint = {
      EndpointIdentifier: 'billing-postgres-source',
      EndpointArn: arnOf('BBBBPOSTGRES1'),
      EndpointType: 'source',
      EngineName: 'postgres',
      Status: 'active',
      PostgreSQLSettings: { DatabaseName: 'billing' },
    };
    const noAuth = mongo('events-mongo-source', 'CCCCNOAUTH001', { AuthType: 'no', NestingLevel: 'none' });
    const absentAuth = mongo('archive-mongo-target', 'DDDDABSENT001', { NestingLevel: 'one' });

    function servePages(pages: Record<string, DescribeEndpointsCommandOutput>): (string | undefined)[] {
      const markers: (string | undefined)[] = [];
      dms.on(DescribeEndpointsCommand).callsFake((input: DescribeEndpointsCommandInput) => {
        markers.push(input.Marker);
        return pages[input.Marker ?? 'first'];
      });
      return markers;
    }

    it('follows Marker and reports every endpoint by its EndpointArn, source and target, any engine', async () => {
      // Prepare
      const markers = servePages({
        first: { Endpoints: [passwordScram, postgres], Marker: 'marker-2', $metadata: {} },
        'marker-2': { Endpoints: [noAuth, { ...absentAuth, EndpointType: 'target' }], $metadata: {} },
      });
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(markers).to.deep.equal([undefined, 'marker-2']);
      expect(swept.map((resource) => [resource.resourceType, resource.resourceId])).to.deep.equal([
        ['AWS::DMS::Endpoint', passwordScram.EndpointArn],
        ['AWS::DMS::Endpoint', postgres.EndpointArn],
        ['AWS::DMS::Endpoint', noAuth.EndpointArn],
        ['AWS::DMS::Endpoint', absentAuth.EndpointArn],
      ]);
      expect(swept.map((resource) => rule.evaluate(resource.facts, NO_PARAMS).compliance)).to.deep.equal([
        'COMPLIANT',
        'NOT_APPLICABLE',
        'NON_COMPLIANT',
        'NON_COMPLIANT',
      ]);
      expect(swept[3]?.facts.endpointType).to.equal('target');
    });

    it('reads tags (ListTagsForResource by ResourceArn) only for the failing endpoints', async () => {
      // Prepare
      servePages({ first: { Endpoints: [passwordScram, postgres, noAuth, absentAuth], $metadata: {} } });
      dms.on(ListTagsForResourceCommand, { ResourceArn: noAuth.EndpointArn }).resolves({
        TagList: [
          { Key: 'authn-exception/DMS.11', Value: JUSTIFICATION, ResourceArn: noAuth.EndpointArn },
          { Key: 'owner', Value: 'events', ResourceArn: noAuth.EndpointArn },
        ],
      });
      dms.on(ListTagsForResourceCommand, { ResourceArn: absentAuth.EndpointArn }).resolves({ TagList: [] });
      const swept = await rule.sweep(client, CONTEXT);
      // Act
      const verdicts = await Promise.all(
        swept.map((resource) => decideSwept(rule, resource, NO_PARAMS, EXCEPTIONS)),
      );
      // Assess
      const tagReads = dms
        .commandCalls(ListTagsForResourceCommand)
        .map((call) => call.args[0].input.ResourceArn);
      expect(tagReads).to.have.members([noAuth.EndpointArn, absentAuth.EndpointArn]);
      expect(tagReads).to.have.length(2);
      expect(verdicts.map((verdict) => verdict.compliance)).to.deep.equal([
        'COMPLIANT',
        'NOT_APPLICABLE',
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
      expect(verdicts[2]?.annotation).to.equal(`Exception: ${JUSTIFICATION} (no expiry)`);
    });

    it('keeps a failing endpoint NON_COMPLIANT, with the reason, when its tags cannot be read', async () => {
      // Prepare
      servePages({ first: { Endpoints: [noAuth], $metadata: {} } });
      const denied = Object.assign(new Error('User is not authorized to perform dms:ListTagsForResource'), {
        name: 'AccessDeniedFault',
      });
      dms.on(ListTagsForResourceCommand).rejects(denied);
      const [resource] = await rule.sweep(client, CONTEXT);
      // Act
      const verdict = await decideSwept(rule, resource!, NO_PARAMS, EXCEPTIONS);
      // Assess
      expect(verdict.compliance).to.equal('NON_COMPLIANT');
      expect(verdict.annotation).to.match(
        /AuthType=no.*\(Exception tags could not be read: AccessDeniedFault: /,
      );
      expect(verdict.annotation.length).to.be.at.most(256);
    });
  });
});
