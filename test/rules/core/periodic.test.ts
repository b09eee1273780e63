import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import sinon from 'sinon';
import { DeliveryError, IncompleteSweepError } from '../../../rules/core/errors';
import type { ClientSettings } from '../../../rules/core/types';
import { SCHEDULED_AT, scheduledEvent } from '../../helpers/events';
import {
  RULE_NAME_WITH_SUFFIX,
  config,
  handlerOf,
  installHandlerMocks,
  putEvaluations,
  putInputs,
  reported,
  retry,
} from './handler-harness';
import {
  NOW,
  ROUTE_TYPE,
  awsError,
  rejectionAs,
  rejectionOf,
  routeId,
  routeRuleWithSweep,
  sweptRoute,
  sweptRoutes,
  sweptTiny,
  throttling,
  tinyPeriodicRule,
} from './support';

describe('rules/core/periodic (periodic rules through the handler)', () => {
  installHandlerMocks();

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
    it('cuts annotations of periodic evaluations to 256 characters too', async () => {
      // Prepare
      const rule = tinyPeriodicRule(() =>
        Promise.resolve([
          sweptTiny(1, { compliance: 'NON_COMPLIANT', code: 'tiny-failing', annotation: 'x'.repeat(1000) }),
        ]),
      );
      // Act
      await handlerOf(rule)(scheduledEvent());
      // Assess
      expect(putEvaluations()[0]?.Annotation).to.have.lengthOf(256);
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
});
