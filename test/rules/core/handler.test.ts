import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type ConfigurationItem as ApiConfigurationItem,
  type EvaluationResult,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import sinon from 'sinon';
import { appsyncNoApiKey } from '../../../rules/appsync-no-api-key/rule';
import { createConfigRuleHandler, type RuleRuntime } from '../../../rules/core/handler';
import {
  DeliveryError,
  IncompleteSweepError,
  MalformedEventError,
  ParameterError,
  ResourceTypeRejectedError,
} from '../../../rules/core/errors';
import { silentLog } from '../../../rules/core/log';
import type { ParameterSpecs } from '../../../rules/core/parameters';
import type { ClientSettings, ConfigurationItem, RuleDefinition } from '../../../rules/core/types';
import {
  dmsMongodbAuthentication,
  endpointFromConfigurationItem,
} from '../../../rules/dms-mongodb-authentication/rule';
import { mskNoUnauthenticatedAccess } from '../../../rules/msk-no-unauthenticated-access/rule';
import { ACCOUNT, SCHEDULED_AT, changeEvent, oversizedEvent, scheduledEvent } from '../../helpers/events';
import {
  API_TYPE,
  NOW,
  ROUTE_TYPE,
  TINY_TYPE,
  awsError,
  fastRetry,
  fixture,
  rejectionAs,
  rejectionOf,
  routeId,
  routeRuleWithSweep,
  serviceClientSpy,
  sweptRoute,
  sweptRoutes,
  sweptTiny,
  throttling,
  tinyChangeRule,
  tinyPeriodicRule,
  withInvokingEvent,
  type FastRetry,
} from './support';

const RULE_NAME_WITH_SUFFIX = 'authn-apigwv2-route-authorization-conformance-pack-q1w2e3r4';
const ROLE_NAME = 'authn-pack-member';
const ASSUMED = {
  AccessKeyId: 'ASIAEXAMPLEASSUMED',
  SecretAccessKey: 'assumed-secret',
  SessionToken: 'assumed-session-token',
  Expiration: new Date('2026-10-04T06:45:00.000Z'),
};

let config: AwsClientStub<ConfigServiceClient>;
let sts: AwsClientStub<STSClient>;
let retry: FastRetry;

function handlerOf<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  overrides: Partial<RuleRuntime<Client>> = {},
) {
  return createConfigRuleHandler(rule, { retry: retry.policy, now: () => NOW, log: silentLog, ...overrides });
}

const putInputs = (): PutEvaluationsCommandInput[] =>
  config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input);

const putEvaluations = () => putInputs().flatMap((input) => input.Evaluations ?? []);

function reported(resourceType: string, resourceId: string, compliance = 'NON_COMPLIANT'): EvaluationResult {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: RULE_NAME_WITH_SUFFIX,
        ResourceType: resourceType,
        ResourceId: resourceId,
      },
    },
    ComplianceType: compliance as EvaluationResult['ComplianceType'],
    Annotation: 'earlier verdict',
  };
}

function tinyEvent(annotation: string, options: { captureTime?: string; resultToken?: string } = {}) {
  return changeEvent(
    {
      resourceType: TINY_TYPE,
      resourceId: 'w-1',
      configuration: { name: 'w-1', verdict: { compliance: 'NON_COMPLIANT', annotation } },
      ...(options.captureTime === undefined ? {} : { captureTime: options.captureTime }),
    },
    options.resultToken === undefined ? {} : { resultToken: options.resultToken },
  );
}

/** The API-shaped item GetResourceConfigHistory returns, with the capture time as the SDK deserializes it. */
function historyResponse(): { configurationItems: ApiConfigurationItem[] } {
  const raw = fixture('get-resource-config-history-response.json') as {
    configurationItems: (Omit<ApiConfigurationItem, 'configurationItemCaptureTime'> & {
      configurationItemCaptureTime: string;
    })[];
  };
  return {
    configurationItems: raw.configurationItems.map((item) => ({
      ...item,
      configurationItemCaptureTime: new Date(item.configurationItemCaptureTime),
    })),
  };
}

describe('rules/core/handler (the shared evaluator)', () => {
  beforeEach(() => {
    config = mockClient(ConfigServiceClient);
    sts = mockClient(STSClient);
    retry = fastRetry();
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    sts.on(AssumeRoleCommand).resolves({ Credentials: ASSUMED });
  });

  afterEach(() => {
    config.restore();
    sts.restore();
    sinon.restore();
  });

  describe('PutEvaluations batching (periodic rule with a stubbed sweep)', () => {
    const cases: { count: number; batches: number[] }[] = [
      { count: 0, batches: [] },
      { count: 1, batches: [1] },
      { count: 100, batches: [100] },
      { count: 101, batches: [100, 1] },
      { count: 250, batches: [100, 100, 50] },
    ];
    for (const { count, batches } of cases) {
      it(`delivers ${count} evaluation(s) in ${batches.length} PutEvaluations call(s) of at most 100, losing none`, async () => {
        // Prepare
        const swept = sweptRoutes(count);
        const { rule } = routeRuleWithSweep(swept);
        // Act
        const result = await handlerOf(rule)(scheduledEvent({ ruleName: RULE_NAME_WITH_SUFFIX }));
        // Assess
        expect(putInputs().map((input) => input.Evaluations?.length)).to.deep.equal(batches);
        const sent = putEvaluations().map((evaluation) => evaluation.ComplianceResourceId);
        expect(sent).to.have.lengthOf(count);
        expect(new Set(sent)).to.deep.equal(new Set(swept.map((resource) => resource.resourceId)));
        expect(result.delivered).to.equal(count);
        // The only other Config call is the stale cleanup's read.
        expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).to.have.lengthOf(1);
        expect(config.calls()).to.have.lengthOf(batches.length + 1);
      });
    }
  });

  describe('the evaluations sent', () => {
    it('cuts an annotation to 256 characters', async () => {
      // Prepare
      const long = `${'Widget w-1 has no authentication. '.repeat(20)}Fix it.`;
      // Act
      await handlerOf(tinyChangeRule)(tinyEvent(long));
      // Assess
      const [evaluation] = putEvaluations();
      expect(long.length).to.be.greaterThan(256);
      expect(evaluation?.Annotation).to.have.lengthOf(256);
      expect(evaluation?.Annotation?.endsWith('...')).to.be.true;
      expect(evaluation?.Annotation?.startsWith('Widget w-1 has no authentication.')).to.be.true;
    });

    it('cuts annotations of periodic evaluations to 256 characters too', async () => {
      // Prepare
      const rule = tinyPeriodicRule(() =>
        Promise.resolve([sweptTiny(1, { compliance: 'NON_COMPLIANT', annotation: 'x'.repeat(1000) })]),
      );
      // Act
      await handlerOf(rule)(scheduledEvent());
      // Assess
      expect(putEvaluations()[0]?.Annotation).to.have.lengthOf(256);
    });

    it('stamps a change evaluation with the configuration item capture time', async () => {
      // Prepare
      const event = tinyEvent('Widget w-1 is open.', { captureTime: '2026-09-30T21:15:42.250Z' });
      // Act
      await handlerOf(tinyChangeRule)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.OrderingTimestamp).to.deep.equal(new Date('2026-09-30T21:15:42.250Z'));
    });

    it('stamps periodic evaluations, stale ones included, with notificationCreationTime', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0)]);
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .resolves({ EvaluationResults: [reported(ROUTE_TYPE, routeId(7, 7))] });
      // Act
      await handlerOf(rule)(scheduledEvent({ notificationCreationTime: '2026-10-04T03:00:00.000Z' }));
      // Assess
      const stamps = putEvaluations().map((evaluation) => evaluation.OrderingTimestamp);
      expect(stamps).to.deep.equal([
        new Date('2026-10-04T03:00:00.000Z'),
        new Date('2026-10-04T03:00:00.000Z'),
      ]);
      expect(stamps[0]?.getTime()).to.not.equal(NOW.getTime());
    });

    it('reports resourceType and resourceId exactly as the configuration item has them', async () => {
      // Prepare
      const event = fixture('change-notification-msk.json');
      delete event.ruleParameters;
      // Act
      await handlerOf(mskNoUnauthenticatedAccess)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceResourceType).to.equal('AWS::MSK::Cluster');
      expect(evaluation?.ComplianceResourceId).to.equal(
        'arn:aws:kafka:eu-west-1:444455556666:cluster/clickstream/5f1e7c2a-9d3b-4a6e-8c1f-0e2d4b6a8c9e-3',
      );
      expect(evaluation?.ComplianceType).to.equal('COMPLIANT');
    });

    it('sets TestMode: true for the TESTMODE result token', async () => {
      // Act
      await handlerOf(tinyChangeRule)(tinyEvent('Widget w-1 is open.', { resultToken: 'TESTMODE' }));
      // Assess
      const [input] = putInputs();
      expect(input?.TestMode).to.equal(true);
      expect(input?.ResultToken).to.equal('TESTMODE');
    });

    it('leaves TestMode unset for a real result token', async () => {
      // Act
      await handlerOf(tinyChangeRule)(tinyEvent('Widget w-1 is open.'));
      // Assess
      const [input] = putInputs();
      expect(input?.TestMode).to.be.undefined;
      expect(input?.ResultToken).to.equal('eyJlbmNyeXB0ZWREYXRhIjpbLTEw');
    });
  });

  describe('throttling and FailedEvaluations', () => {
    it('retries a throttled PutEvaluations and then delivers every evaluation', async () => {
      // Prepare
      const swept = sweptRoutes(150);
      const { rule } = routeRuleWithSweep(swept);
      config.on(PutEvaluationsCommand).rejectsOnce(throttling()).resolves({ FailedEvaluations: [] });
      // Act
      const result = await handlerOf(rule)(scheduledEvent());
      // Assess
      const sizes = putInputs().map((input) => input.Evaluations?.length);
      expect(sizes).to.deep.equal([100, 100, 50]);
      const accepted = putInputs()
        .slice(1)
        .flatMap((input) => input.Evaluations ?? [])
        .map((evaluation) => evaluation.ComplianceResourceId);
      expect(new Set(accepted)).to.deep.equal(new Set(swept.map((resource) => resource.resourceId)));
      expect(result.delivered).to.equal(150);
      expect(retry.sleep.callCount).to.equal(1);
    });

    it('resends the evaluations PutEvaluations returned as FailedEvaluations, then delivers them', async () => {
      // Prepare
      const swept = sweptRoutes(5);
      const { rule } = routeRuleWithSweep(swept);
      const failed = [swept[1], swept[3]].map((resource) => ({
        ComplianceResourceType: ROUTE_TYPE,
        ComplianceResourceId: resource?.resourceId,
        ComplianceType: 'COMPLIANT' as const,
        OrderingTimestamp: new Date(SCHEDULED_AT),
      }));
      config
        .on(PutEvaluationsCommand)
        .resolvesOnce({ FailedEvaluations: failed })
        .resolves({ FailedEvaluations: [] });
      // Act
      const result = await handlerOf(rule)(scheduledEvent());
      // Assess
      const [first, second] = putInputs();
      expect(first?.Evaluations).to.have.lengthOf(5);
      expect(second?.Evaluations?.map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal([
        swept[1]?.resourceId,
        swept[3]?.resourceId,
      ]);
      expect(result.delivered).to.equal(5);
    });

    it('rejects with a DeliveryError saying how many were not delivered when FailedEvaluations persist', async () => {
      // Prepare
      const swept = sweptRoutes(5);
      const { rule } = routeRuleWithSweep(swept);
      const failed = [swept[0], swept[4]].map((resource) => ({
        ComplianceResourceType: ROUTE_TYPE,
        ComplianceResourceId: resource?.resourceId,
        ComplianceType: 'COMPLIANT' as const,
        OrderingTimestamp: new Date(SCHEDULED_AT),
      }));
      config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: failed });
      // Act
      const error = await rejectionAs(handlerOf(rule)(scheduledEvent()), DeliveryError);
      // Assess
      expect(error.message).to.match(/could not deliver 2 evaluation\(s\) \(3 delivered\)/);
      expect(error.undelivered).to.equal(2);
      expect(error.delivered).to.equal(3);
      expect(putInputs()).to.have.lengthOf(retry.policy.attempts);
    });

    it('rejects (never resolves) on a non-retryable PutEvaluations error', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep(sweptRoutes(120));
      config
        .on(PutEvaluationsCommand)
        .rejects(awsError('InvalidResultTokenException', 'The result token is invalid.'));
      // Act
      const error = await rejectionOf(handlerOf(rule)(scheduledEvent()));
      // Assess
      expect(error).to.be.instanceOf(DeliveryError);
      expect(error.message).to.include('InvalidResultTokenException');
      expect(error.message).to.match(/could not deliver 120 evaluation\(s\) \(0 delivered\)/);
      expect(putInputs()).to.have.lengthOf(1);
      expect(retry.sleep.called).to.be.false;
    });

    it('rejects when throttling outlasts every retry', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep(sweptRoutes(3));
      config.on(PutEvaluationsCommand).rejects(throttling());
      // Act
      const error = await rejectionOf(handlerOf(rule)(scheduledEvent()));
      // Assess
      expect(error).to.be.instanceOf(DeliveryError);
      expect(error.message).to.include('ThrottlingException');
      expect(putInputs()).to.have.lengthOf(retry.policy.attempts);
    });
  });

  describe('oversized notifications', () => {
    it('fetches the item with GetResourceConfigHistory: type, id, laterTime = capture time, limit 1', async () => {
      // Prepare
      config.on(GetResourceConfigHistoryCommand).resolves(historyResponse());
      // Act
      await handlerOf(dmsMongodbAuthentication)(fixture('oversized-notification-dms.json'));
      // Assess
      const calls = config.commandCalls(GetResourceConfigHistoryCommand);
      expect(calls).to.have.lengthOf(1);
      expect(calls[0]?.args[0].input).to.deep.equal({
        resourceType: 'AWS::DMS::Endpoint',
        resourceId: 'arn:aws:dms:eu-west-1:444455556666:endpoint:Q7K3M1ZP2XJ4W',
        laterTime: new Date('2026-10-03T12:00:05.000Z'),
        limit: 1,
      });
    });

    it('converts the API-shaped item (arn, accountId, configuration string) and evaluates it', async () => {
      // Prepare
      config.on(GetResourceConfigHistoryCommand).resolves(historyResponse());
      const read = sinon.spy((item: ConfigurationItem) => endpointFromConfigurationItem(item));
      const rule = { ...dmsMongodbAuthentication, fromConfigurationItem: read };
      // Act
      const result = await handlerOf(rule)(fixture('oversized-notification-dms.json'));
      // Assess
      const item = read.firstCall.args[0];
      expect(item.ARN).to.equal('arn:aws:dms:eu-west-1:444455556666:endpoint:Q7K3M1ZP2XJ4W');
      expect(item.awsAccountId).to.equal('444455556666');
      expect(item.configuration).to.be.an('object');
      expect(item.configuration).to.have.nested.property('MongoDbSettings.AuthType', 'password');
      expect(item.configurationItemCaptureTime).to.equal('2026-10-03T12:00:05.000Z');
      expect(item).to.not.have.property('arn');
      expect(item).to.not.have.property('accountId');
      expect(result.evaluations).to.have.lengthOf(1);
      expect(result.evaluations[0]).to.include({
        ComplianceResourceType: 'AWS::DMS::Endpoint',
        ComplianceResourceId: 'arn:aws:dms:eu-west-1:444455556666:endpoint:Q7K3M1ZP2XJ4W',
        ComplianceType: 'COMPLIANT',
      });
      expect(putEvaluations()[0]?.OrderingTimestamp).to.deep.equal(new Date('2026-10-03T12:00:05.000Z'));
    });

    it('fails closed: NON_COMPLIANT with the reason when the item cannot be fetched', async () => {
      // Prepare
      config
        .on(GetResourceConfigHistoryCommand)
        .rejects(
          awsError('AccessDeniedException', 'not authorized to perform config:GetResourceConfigHistory'),
        );
      // Act
      const result = await handlerOf(dmsMongodbAuthentication)(fixture('oversized-notification-dms.json'));
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('NON_COMPLIANT');
      expect(evaluation?.ComplianceResourceId).to.equal(
        'arn:aws:dms:eu-west-1:444455556666:endpoint:Q7K3M1ZP2XJ4W',
      );
      expect(evaluation?.Annotation).to.include('could not be read');
      expect(evaluation?.Annotation).to.include('AccessDeniedException');
      expect(result.delivered).to.equal(1);
    });

    it('fails closed when Config returns no configuration item', async () => {
      // Prepare
      config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
      // Act
      await handlerOf(dmsMongodbAuthentication)(fixture('oversized-notification-dms.json'));
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('NON_COMPLIANT');
      expect(evaluation?.Annotation).to.include('Config returned no configuration item');
    });

    it('retries a throttled GetResourceConfigHistory', async () => {
      // Prepare
      config.on(GetResourceConfigHistoryCommand).rejectsOnce(throttling()).resolves(historyResponse());
      // Act
      await handlerOf(dmsMongodbAuthentication)(fixture('oversized-notification-dms.json'));
      // Assess
      expect(config.commandCalls(GetResourceConfigHistoryCommand)).to.have.lengthOf(2);
      expect(putEvaluations()[0]?.ComplianceType).to.equal('COMPLIANT');
    });

    it('reports a deleted resource from its summary NOT_APPLICABLE without fetching it', async () => {
      // Prepare
      const event = oversizedEvent({
        resourceType: 'AWS::DMS::Endpoint',
        resourceId: 'arn:aws:dms:eu-west-1:1:endpoint:X',
        status: 'ResourceDeleted',
      });
      // Act
      await handlerOf(dmsMongodbAuthentication)(event);
      // Assess
      expect(config.commandCalls(GetResourceConfigHistoryCommand)).to.have.lengthOf(0);
      expect(putEvaluations()[0]?.ComplianceType).to.equal('NOT_APPLICABLE');
    });

    it('refuses an oversized notification in a dry run with a clear error and no Config call', async () => {
      // Act
      const error = await rejectionOf(
        handlerOf(dmsMongodbAuthentication, { dryRun: true })(fixture('oversized-notification-dms.json')),
      );
      // Assess
      expect(error).to.be.instanceOf(MalformedEventError);
      expect(error.message).to.include('oversized notification');
      expect(error.message).to.include('dry-run');
      expect(config.calls()).to.have.lengthOf(0);
    });
  });

  describe('resources that are not evaluated', () => {
    it('reports a deleted resource NOT_APPLICABLE (resource-deleted-appsync.json)', async () => {
      // Prepare
      const event = fixture('resource-deleted-appsync.json');
      // Act
      const result = await handlerOf(appsyncNoApiKey)(event);
      // Assess
      expect(result.evaluations).to.have.lengthOf(1);
      const [evaluation] = putEvaluations();
      expect(evaluation).to.deep.include({
        ComplianceResourceType: 'AWS::AppSync::GraphQLApi',
        ComplianceResourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/bq4t7xk2mnd3lf',
        ComplianceType: 'NOT_APPLICABLE',
        OrderingTimestamp: new Date('2026-10-05T16:20:00.000Z'),
      });
      expect(evaluation?.Annotation).to.include('ResourceDeleted');
    });

    it('reports a resource that left the rule scope NOT_APPLICABLE', async () => {
      // Prepare
      const event = changeEvent(
        {
          resourceType: 'AWS::AppSync::GraphQLApi',
          resourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/open1',
          configuration: { Name: 'open', AuthenticationType: 'API_KEY' },
        },
        { eventLeftScope: true },
      );
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('NOT_APPLICABLE');
      expect(evaluation?.Annotation).to.include('left the scope');
    });

    it('reports a ResourceNotRecorded item NOT_APPLICABLE', async () => {
      // Prepare
      const event = changeEvent({
        resourceType: 'AWS::AppSync::GraphQLApi',
        resourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/open2',
        configuration: null,
        status: 'ResourceNotRecorded',
      });
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('NOT_APPLICABLE');
      expect(evaluation?.Annotation).to.include('ResourceNotRecorded');
    });

    it('reports a configuration item of another resource type NOT_APPLICABLE, under its own type and id', async () => {
      // Prepare
      const event = changeEvent({
        resourceType: 'AWS::S3::Bucket',
        resourceId: 'logs-bucket',
        configuration: { AuthenticationType: 'API_KEY' },
      });
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess
      const [evaluation] = putEvaluations();
      expect(evaluation).to.deep.include({
        ComplianceResourceType: 'AWS::S3::Bucket',
        ComplianceResourceId: 'logs-bucket',
        ComplianceType: 'NOT_APPLICABLE',
      });
    });
  });

  describe('stale cleanup (periodic rules)', () => {
    it('pages GetComplianceDetailsByConfigRule with the event rule name, COMPLIANT+NON_COMPLIANT and Limit 100', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0)]);
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .resolvesOnce({ EvaluationResults: [reported(ROUTE_TYPE, routeId(0, 0))], NextToken: 'page-2' })
        .resolvesOnce({ EvaluationResults: [reported(ROUTE_TYPE, routeId(0, 9))], NextToken: 'page-3' })
        .resolves({ EvaluationResults: [] });
      // Act
      await handlerOf(rule)(scheduledEvent({ ruleName: RULE_NAME_WITH_SUFFIX }));
      // Assess
      const inputs = config
        .commandCalls(GetComplianceDetailsByConfigRuleCommand)
        .map((call) => call.args[0].input);
      const base = {
        ConfigRuleName: RULE_NAME_WITH_SUFFIX,
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
      };
      expect(inputs).to.deep.equal([
        base,
        { ...base, NextToken: 'page-2' },
        { ...base, NextToken: 'page-3' },
      ]);
    });

    it('re-reports NOT_APPLICABLE what the sweep no longer finds, without duplicating what it found', async () => {
      // Prepare
      const swept = [sweptRoute(0, 0), sweptRoute(0, 1), sweptRoute(0, 2, 'NONE')];
      const { rule } = routeRuleWithSweep(swept);
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .resolvesOnce({
          EvaluationResults: [
            reported(ROUTE_TYPE, routeId(0, 0), 'COMPLIANT'),
            reported(ROUTE_TYPE, routeId(0, 5)),
          ],
          NextToken: 'page-2',
        })
        .resolves({
          EvaluationResults: [
            reported(ROUTE_TYPE, routeId(0, 2)),
            reported(ROUTE_TYPE, routeId(3, 3), 'COMPLIANT'),
            {},
          ],
        });
      // Act
      const result = await handlerOf(rule)(scheduledEvent({ ruleName: RULE_NAME_WITH_SUFFIX }));
      // Assess
      const sent = putEvaluations().map((evaluation) => [
        evaluation.ComplianceResourceId,
        evaluation.ComplianceType,
      ]);
      expect(sent).to.deep.equal([
        [routeId(0, 0), 'COMPLIANT'],
        [routeId(0, 1), 'COMPLIANT'],
        [routeId(0, 2), 'NON_COMPLIANT'],
        [routeId(0, 5), 'NOT_APPLICABLE'],
        [routeId(3, 3), 'NOT_APPLICABLE'],
      ]);
      expect(putEvaluations()[3]?.ComplianceResourceType).to.equal(ROUTE_TYPE);
      expect(putEvaluations()[3]?.Annotation).to.include('No longer found');
      expect(result.staleCleanup).to.equal('done');
      expect(result.delivered).to.equal(5);
    });

    it('in a dry run makes no Config call at all and reports the cleanup skipped', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0), sweptRoute(0, 1, 'NONE')]);
      const createConfigClient = sinon.spy((settings: ClientSettings) => new ConfigServiceClient(settings));
      // Act
      const result = await handlerOf(rule, { dryRun: true, createConfigClient })(scheduledEvent());
      // Assess
      expect(config.calls()).to.have.lengthOf(0);
      expect(createConfigClient.called).to.be.false;
      expect(result.staleCleanup).to.equal('skipped: dry run makes no Config calls');
      expect(result.delivered).to.equal(0);
      expect(result.evaluations.map((evaluation) => evaluation.ComplianceType)).to.deep.equal([
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
    });

    it('in a dry run of a change-triggered rule makes no AWS call at all, even with ExecutionRoleName', async () => {
      // Prepare
      const event = changeEvent(
        {
          resourceType: TINY_TYPE,
          resourceId: 'w-1',
          configuration: { name: 'w-1', verdict: { compliance: 'NON_COMPLIANT', annotation: 'open' } },
        },
        { ruleParameters: { ExecutionRoleName: ROLE_NAME } },
      );
      // Act
      const result = await handlerOf(tinyChangeRule, { dryRun: true })(event);
      // Assess
      expect(config.calls()).to.have.lengthOf(0);
      expect(sts.calls()).to.have.lengthOf(0);
      expect(result.evaluations).to.have.lengthOf(1);
      expect(result.delivered).to.equal(0);
    });

    it("delivers the sweep's evaluations even when earlier results cannot be read, then fails naming the cleanup", async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0), sweptRoute(0, 1)]);
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .rejects(
          awsError(
            'AccessDeniedException',
            'not authorized to perform config:GetComplianceDetailsByConfigRule',
          ),
        );
      // Act
      const error = await rejectionOf(handlerOf(rule)(scheduledEvent()));
      // Assess
      expect(putEvaluations().map((evaluation) => evaluation.ComplianceResourceId)).to.deep.equal([
        routeId(0, 0),
        routeId(0, 1),
      ]);
      expect(error.message).to.include('GetComplianceDetailsByConfigRule');
      expect(error.message).to.include('AccessDeniedException');
      expect(error.message).to.include('2 evaluation(s) delivered');
    });
  });

  describe('fallback when PutEvaluations rejects AWS::ApiGatewayV2::Route', () => {
    const rejection = () =>
      awsError(
        'InvalidParameterValueException',
        'The resource type AWS::ApiGatewayV2::Route is invalid. Only the following values are permitted: AWS::EC2::CustomerGateway, AWS::EC2::EIP, AWS::ApiGatewayV2::Api',
      );

    it('reports one evaluation per API on AWS::ApiGatewayV2::Api, NON_COMPLIANT if any route fails', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([
        sweptRoute(0, 0),
        sweptRoute(0, 1, 'NONE'),
        sweptRoute(1, 0),
        sweptRoute(1, 1),
      ]);
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .resolves({ EvaluationResults: [reported(API_TYPE, 'api9')] });
      config
        .on(PutEvaluationsCommand)
        .callsFake((input: PutEvaluationsCommandInput) =>
          input.Evaluations?.some((evaluation) => evaluation.ComplianceResourceType === ROUTE_TYPE)
            ? Promise.reject(rejection())
            : Promise.resolve({ FailedEvaluations: [] }),
        );
      const warn = sinon.spy();
      // Act
      const result = await handlerOf(rule, { log: { ...silentLog, warn } })(scheduledEvent());
      // Assess
      expect(putInputs()).to.have.lengthOf(2);
      expect(warn.callCount, 'the fallback is logged once').to.equal(1);
      const fallback = putInputs()[1]?.Evaluations ?? [];
      expect(
        fallback.map((e) => [e.ComplianceResourceType, e.ComplianceResourceId, e.ComplianceType]),
      ).to.deep.equal([
        [API_TYPE, 'api0', 'NON_COMPLIANT'],
        [API_TYPE, 'api1', 'COMPLIANT'],
        [API_TYPE, 'api9', 'NOT_APPLICABLE'],
      ]);
      expect(fallback[0]?.Annotation).to.match(/^1 of 2 routes of orders-0 fail/);
      expect(result.fallbackResourceType).to.equal(API_TYPE);
      expect(result.delivered).to.equal(3);
    });

    it('fails loudly on any other PutEvaluations rejection', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0), sweptRoute(0, 1, 'NONE')]);
      config
        .on(PutEvaluationsCommand)
        .rejects(
          awsError(
            'InvalidParameterValueException',
            'The ComplianceResourceId is longer than 768 characters.',
          ),
        );
      // Act
      const error = await rejectionOf(handlerOf(rule)(scheduledEvent()));
      // Assess
      expect(error).to.be.instanceOf(DeliveryError);
      expect(error.message).to.include('InvalidParameterValueException');
      expect(putInputs()).to.have.lengthOf(1);
      expect(putEvaluations().every((evaluation) => evaluation.ComplianceResourceType === ROUTE_TYPE)).to.be
        .true;
    });

    it("fails loudly when Config rejects a resource type other than the rule's own", async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0)]);
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .resolves({ EvaluationResults: [reported(API_TYPE, 'api9')] });
      config
        .on(PutEvaluationsCommand)
        .rejects(
          awsError(
            'InvalidParameterValueException',
            'The resource type AWS::ApiGatewayV2::Api is invalid. Only the following values are permitted: AWS::EC2::EIP',
          ),
        );
      // Act
      const error = await rejectionAs(handlerOf(rule)(scheduledEvent()), ResourceTypeRejectedError);
      // Assess
      expect(error.resourceType).to.equal(API_TYPE);
      expect(putInputs()).to.have.lengthOf(1);
    });

    it('fails loudly when the rejected type has no parent to fall back to', async () => {
      // Prepare
      const rule = tinyPeriodicRule(() =>
        Promise.resolve([sweptTiny(1, { compliance: 'COMPLIANT', annotation: 'ok' })]),
      );
      config
        .on(PutEvaluationsCommand)
        .rejects(
          awsError(
            'InvalidParameterValueException',
            `The resource type ${TINY_TYPE} is invalid. Only the following values are permitted: AWS::EC2::EIP`,
          ),
        );
      // Act
      const error = await rejectionOf(handlerOf(rule)(scheduledEvent()));
      // Assess
      expect(error).to.be.instanceOf(ResourceTypeRejectedError);
      expect(error.message).to.include(TINY_TYPE);
      expect(putInputs()).to.have.lengthOf(1);
    });
  });

  describe('sweep failure', () => {
    it('rejects with IncompleteSweepError and delivers nothing', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep(awsError('TooManyRequestsException', 'GetRoutes throttled', 429));
      // Act
      const error = await rejectionOf(handlerOf(rule)(scheduledEvent()));
      // Assess
      expect(error).to.be.instanceOf(IncompleteSweepError);
      expect(error.message).to.include('authn-apigwv2-route-authorization');
      expect(error.message).to.include('GetRoutes throttled');
      expect(putInputs()).to.have.lengthOf(0);
      expect(config.calls()).to.have.lengthOf(0);
    });
  });

  describe('execution role (organization deployments)', () => {
    const CN_RULE_ARN = 'arn:aws-cn:config:cn-north-1:777788889999:config-rule/config-rule-cn42';
    const MEMBER = '777788889999';

    it('assumes ExecutionRoleName in the event account and the rule ARN partition, never executionRoleArn', async () => {
      // Prepare
      const event: Record<string, unknown> = {
        ...fixture('change-notification-msk.json'),
        configRuleArn: CN_RULE_ARN,
        accountId: MEMBER,
      };
      // Act
      await handlerOf(mskNoUnauthenticatedAccess)(event);
      // Assess
      const calls = sts.commandCalls(AssumeRoleCommand);
      expect(calls).to.have.lengthOf(1);
      const input = calls[0]?.args[0].input;
      expect(input?.RoleArn).to.equal(`arn:aws-cn:iam::${MEMBER}:role/${ROLE_NAME}`);
      expect(input?.RoleArn).to.not.equal(event.executionRoleArn);
      expect(input?.RoleSessionName).to.equal('authn-pack-MSK.6');
    });

    it('creates the service and Config clients with the assumed credentials', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0)]);
      const createServiceClient = serviceClientSpy();
      const createConfigClient = sinon.spy((settings: ClientSettings) => new ConfigServiceClient(settings));
      const event = {
        ...scheduledEvent({ ruleParameters: { ExecutionRoleName: ROLE_NAME } }),
        configRuleArn: CN_RULE_ARN,
      };
      // Act
      await handlerOf(rule, { createServiceClient, createConfigClient })(event);
      // Assess
      expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).to.equal(
        `arn:aws-cn:iam::${ACCOUNT}:role/${ROLE_NAME}`,
      );
      const expected = {
        accessKeyId: ASSUMED.AccessKeyId,
        secretAccessKey: ASSUMED.SecretAccessKey,
        sessionToken: ASSUMED.SessionToken,
        expiration: ASSUMED.Expiration,
      };
      expect(createServiceClient.callCount).to.equal(1);
      expect(createServiceClient.firstCall.args[0]).to.deep.include({
        region: 'cn-north-1',
        credentials: expected,
      });
      expect(createConfigClient.called).to.be.true;
      for (const call of createConfigClient.getCalls()) {
        expect(call.args[0]).to.deep.include({ region: 'cn-north-1', credentials: expected });
      }
    });

    it("uses the function's own credentials when ExecutionRoleName is not set", async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0)]);
      const createServiceClient = serviceClientSpy();
      // Act
      await handlerOf(rule, { createServiceClient })(scheduledEvent());
      // Assess
      expect(sts.calls()).to.have.lengthOf(0);
      expect(createServiceClient.firstCall.args[0].credentials).to.be.undefined;
      expect(createServiceClient.firstCall.args[0].region).to.equal('eu-west-1');
    });

    it('rejects naming the role when AssumeRole is denied, before any Config call', async () => {
      // Prepare
      sts.on(AssumeRoleCommand).rejects(
        Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
          name: 'AccessDenied',
        }),
      );
      const event = fixture('change-notification-msk.json');
      // Act
      const error = await rejectionOf(handlerOf(mskNoUnauthenticatedAccess)(event));
      // Assess
      expect(error.message).to.include(`arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`);
      expect(error.message).to.include('AccessDenied');
      expect(config.calls()).to.have.lengthOf(0);
    });
  });

  describe('malformed events (nothing is evaluated, no AWS call is made)', () => {
    const withRole = { ruleParameters: { ExecutionRoleName: ROLE_NAME } };
    const good = () => tinyEvent('Widget w-1 is open.');
    const cases: { label: string; event: () => unknown; message: RegExp }[] = [
      {
        label: 'an event that is not an object',
        event: () => 'ConfigurationItemChangeNotification',
        message: /not a JSON object/,
      },
      { label: 'a null event', event: () => null, message: /not a JSON object/ },
      {
        label: 'an invokingEvent that is not JSON',
        event: () => ({ ...good(), invokingEvent: '{"configurationItem": ' }),
        message: /invokingEvent is not valid JSON/,
      },
      {
        label: 'an invokingEvent without messageType',
        event: () => withInvokingEvent(good(), (invoking) => delete invoking.messageType),
        message: /invokingEvent\.messageType is missing/,
      },
      {
        label: 'an unknown messageType',
        event: () =>
          withInvokingEvent(
            good(),
            (invoking) => (invoking.messageType = 'ConfigurationSnapshotDeliveryCompleted'),
          ),
        message: /messageType "ConfigurationSnapshotDeliveryCompleted" is not one this rule handles/,
      },
      {
        label: 'an event without resultToken',
        event: () => ({
          ...changeEvent({ resourceType: TINY_TYPE, resourceId: 'w', configuration: {} }, withRole),
          resultToken: undefined,
        }),
        message: /event\.resultToken is missing/,
      },
      {
        label: 'an event without configRuleName',
        event: () => ({ ...good(), configRuleName: '' }),
        message: /event\.configRuleName is missing/,
      },
      {
        label: 'a configuration item without resourceId',
        event: () =>
          withInvokingEvent(
            changeEvent({ resourceType: TINY_TYPE, resourceId: 'w', configuration: {} }, withRole),
            (invoking) => {
              delete (invoking.configurationItem as Record<string, unknown>).resourceId;
            },
          ),
        message: /configurationItem\.resourceId is missing/,
      },
      {
        label: 'a configuration item without configurationItemCaptureTime',
        event: () =>
          withInvokingEvent(good(), (invoking) => {
            delete (invoking.configurationItem as Record<string, unknown>).configurationItemCaptureTime;
          }),
        message: /configurationItem\.configurationItemCaptureTime is missing/,
      },
      {
        label: 'a change notification without configurationItem',
        event: () => withInvokingEvent(good(), (invoking) => delete invoking.configurationItem),
        message: /invokingEvent\.configurationItem is missing/,
      },
      {
        label: 'ruleParameters that are not JSON',
        event: () => ({ ...good(), ruleParameters: '{ExecutionRoleName: authn-pack-member}' }),
        message: /ruleParameters is not valid JSON/,
      },
    ];
    for (const { label, event, message } of cases) {
      it(`refuses ${label} with MalformedEventError`, async () => {
        // Prepare
        const createServiceClient = sinon.spy(() => undefined);
        const createConfigClient = sinon.spy((settings: ClientSettings) => new ConfigServiceClient(settings));
        // Act
        const error = await rejectionOf(
          handlerOf(tinyChangeRule, { createServiceClient, createConfigClient })(event()),
        );
        // Assess
        expect(error).to.be.instanceOf(MalformedEventError);
        expect(error.message).to.match(message);
        expect(config.calls()).to.have.lengthOf(0);
        expect(sts.calls()).to.have.lengthOf(0);
        expect(createConfigClient.called).to.be.false;
        expect(createServiceClient.called).to.be.false;
      });
    }
  });

  describe('rule parameters', () => {
    it('uses the defaults when ruleParameters is absent', async () => {
      // Prepare
      const options = {
        ...sweptRoute(0, 1, 'NONE'),
        facts: { ...sweptRoute(0, 1, 'NONE').facts, routeKey: 'OPTIONS /items' },
      };
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0, 'AWS_IAM'), options]);
      const event = scheduledEvent();
      expect(event).to.not.have.property('ruleParameters');
      // Act
      const result = await handlerOf(rule)(event);
      // Assess: no required authorizationType; OPTIONS routes are not exempt by default.
      expect(result.evaluations.map((evaluation) => evaluation.ComplianceType)).to.deep.equal([
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
      expect(sts.calls()).to.have.lengthOf(0);
    });

    it('refuses authorizationType=BASIC on APIGateway.8, naming the parameter, before any AWS call', async () => {
      // Prepare
      const { rule, sweep } = routeRuleWithSweep([sweptRoute(0, 0)]);
      const event = scheduledEvent({
        ruleParameters: { authorizationType: 'BASIC', ExecutionRoleName: ROLE_NAME },
      });
      // Act
      const error = await rejectionAs(handlerOf(rule)(event), ParameterError);
      // Assess
      expect(error.parameter).to.equal('authorizationType');
      expect(error.message).to.include('authorizationType');
      expect(error.message).to.include('BASIC');
      expect(sts.calls()).to.have.lengthOf(0);
      expect(config.calls()).to.have.lengthOf(0);
      expect(sweep.called).to.be.false;
    });

    it('refuses an unknown parameter name before any AWS call', async () => {
      // Prepare
      const { rule, sweep } = routeRuleWithSweep([sweptRoute(0, 0)]);
      const event = scheduledEvent({ ruleParameters: { AuthorizationTypes: 'JWT' } });
      // Act
      const error = await rejectionOf(handlerOf(rule)(event));
      // Assess
      expect(error).to.be.instanceOf(ParameterError);
      expect(error.message).to.include('AuthorizationTypes');
      expect(error.message).to.include('unknown parameter');
      expect(config.calls()).to.have.lengthOf(0);
      expect(sweep.called).to.be.false;
    });

    it('treats an empty parameter as its default', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0, 'AWS_IAM')]);
      const event = scheduledEvent({
        ruleParameters: { authorizationType: '', ExecutionRoleName: '', ExemptCorsPreflightRoutes: '' },
      });
      // Act
      const result = await handlerOf(rule)(event);
      // Assess
      expect(result.evaluations[0]?.ComplianceType).to.equal('COMPLIANT');
      expect(sts.calls()).to.have.lengthOf(0);
    });

    it('applies a set parameter to the decision (authorizationType=JWT fails an AWS_IAM route)', async () => {
      // Prepare
      const { rule } = routeRuleWithSweep([sweptRoute(0, 0, 'AWS_IAM'), sweptRoute(0, 1, 'JWT')]);
      // Act
      const result = await handlerOf(rule)(scheduledEvent({ ruleParameters: { authorizationType: 'JWT' } }));
      // Assess
      expect(result.evaluations.map((evaluation) => evaluation.ComplianceType)).to.deep.equal([
        'NON_COMPLIANT',
        'COMPLIANT',
      ]);
    });
  });

  describe('trigger kind', () => {
    it('refuses a change notification for a periodic rule with a clear error', async () => {
      // Prepare
      const { rule, sweep } = routeRuleWithSweep([]);
      const event = changeEvent(
        { resourceType: 'AWS::ApiGatewayV2::Api', resourceId: 'api0', configuration: {} },
        { ruleParameters: { ExecutionRoleName: ROLE_NAME } },
      );
      // Act
      const error = await rejectionOf(handlerOf(rule)(event));
      // Assess
      expect(error).to.be.instanceOf(MalformedEventError);
      expect(error.message).to.include(
        'authn-apigwv2-route-authorization is a periodic rule and takes ScheduledNotification',
      );
      expect(sweep.called).to.be.false;
      expect(sts.calls()).to.have.lengthOf(0);
      expect(config.calls()).to.have.lengthOf(0);
    });

    it('refuses a scheduled notification for a change-triggered rule with a clear error', async () => {
      // Act
      const error = await rejectionOf(handlerOf(appsyncNoApiKey)(scheduledEvent()));
      // Assess
      expect(error).to.be.instanceOf(MalformedEventError);
      expect(error.message).to.include('authn-appsync-no-api-key is change-triggered');
      expect(error.message).to.include('not a scheduled notification');
      expect(config.calls()).to.have.lengthOf(0);
    });
  });

  describe('exceptions on change-triggered rules', () => {
    it('turns a failing resource with a valid exception tag COMPLIANT with an Exception: annotation', async () => {
      // Prepare
      const event = changeEvent({
        resourceType: 'AWS::AppSync::GraphQLApi',
        resourceId: 'arn:aws:appsync:eu-west-1:444455556666:apis/legacy',
        configuration: { Name: 'legacy', AuthenticationType: 'API_KEY' },
        tags: {
          'authn-exception/AppSync.5': 'public catalogue read by partners',
          'authn-exception-expires/AppSync.5': '2026-10-04',
        },
      });
      // Act
      await handlerOf(appsyncNoApiKey)(event);
      // Assess: an exception expiring today (NOW is 2026-10-04) is still valid.
      const [evaluation] = putEvaluations();
      expect(evaluation?.ComplianceType).to.equal('COMPLIANT');
      expect(evaluation?.Annotation).to.equal(
        'Exception: public catalogue read by partners (expires 2026-10-04)',
      );
    });
  });
});
