import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import sinon from 'sinon';
import { appsyncNoApiKey } from '../../../rules/appsync-no-api-key/rule';
import { MalformedEventError, ParameterError } from '../../../rules/core/errors';
import type { ClientSettings } from '../../../rules/core/types';
import { changeEvent, scheduledEvent } from '../../helpers/events';
import { ROLE_NAME, config, handlerOf, installHandlerMocks, sts, tinyEvent } from './handler-harness';
import {
  TINY_TYPE,
  rejectionAs,
  rejectionOf,
  routeRuleWithSweep,
  sweptRoute,
  tinyChangeRule,
  withInvokingEvent,
} from './support';

describe('rules/core/handler (dispatch: event, trigger kind, parameters)', () => {
  installHandlerMocks();

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
});
