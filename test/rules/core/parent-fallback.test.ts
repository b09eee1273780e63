import {
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { toEvaluation } from '../../../rules/core/delivery';
import { silentLog } from '../../../rules/core/log';
import { evaluationsPerParent, rollUpVerdict } from '../../../rules/core/parent-fallback';
import sinon from 'sinon';
import { DeliveryError, ResourceTypeRejectedError } from '../../../rules/core/errors';
import { scheduledEvent } from '../../helpers/events';
import {
  config,
  handlerOf,
  installHandlerMocks,
  putEvaluations,
  putInputs,
  reported,
} from './handler-harness';
import {
  API_TYPE,
  ROUTE_TYPE,
  TINY_TYPE,
  awsError,
  rejectionAs,
  rejectionOf,
  routeRuleWithSweep,
  sweptRoute,
  sweptTiny,
  tinyPeriodicRule,
} from './support';

describe('rules/core/parent-fallback', () => {
  installHandlerMocks();

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
        Promise.resolve([sweptTiny(1, { compliance: 'COMPLIANT', code: 'tiny-ok', annotation: 'ok' })]),
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
});

describe('rules/core/parent-fallback: evaluationsPerParent', () => {
  const AT = new Date('2026-10-04T03:00:00.000Z');
  const swept = [sweptRoute(0, 0), sweptRoute(0, 1, 'NONE'), sweptRoute(1, 0)];
  const evaluations = swept.map((route) =>
    toEvaluation(
      route,
      route.facts.authorizationType === 'NONE' ? 'NON_COMPLIANT' : 'COMPLIANT',
      `${route.resourceName} verdict`,
      AT,
    ),
  );

  it("names the children with the rule's noun", () => {
    // Act
    const [first, second] = evaluationsPerParent(swept, evaluations, AT, 'widgets');
    // Assess
    expect(first?.Annotation).to.equal(
      '1 of 2 widgets of orders-0 fail. First: orders-0 GET /items/1 verdict',
    );
    expect(second?.Annotation).to.equal('All 1 widgets of orders-1 pass or are exempt.');
  });

  it('says "resources" when the rule names no noun', () => {
    // Act
    const [, second] = evaluationsPerParent(swept, evaluations, AT);
    // Assess
    expect(second?.Annotation).to.equal('All 1 resources of orders-1 pass or are exempt.');
  });

  it('gives the roll-up core codes: children-failing when one child fails, children-passing otherwise', () => {
    // Prepare
    const [first, , other] = swept.map((route) => route.parent!);
    // Act
    const failing = rollUpVerdict(first!, evaluations.slice(0, 2), 'routes');
    const passing = rollUpVerdict(other!, evaluations.slice(2), 'routes');
    // Assess
    expect([failing.compliance, failing.code]).to.deep.equal(['NON_COMPLIANT', 'children-failing']);
    expect([passing.compliance, passing.code]).to.deep.equal(['COMPLIANT', 'children-passing']);
  });
});
