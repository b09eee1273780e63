import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import sinon from 'sinon';
import type { ClientSettings } from '../../../rules/core/types';
import { mskNoUnauthenticatedAccess } from '../../../rules/msk-no-unauthenticated-access/rule';
import { ACCOUNT, changeEvent, scheduledEvent } from '../../helpers/events';
import { ASSUMED, ROLE_NAME, config, handlerOf, installHandlerMocks, sts } from './handler-harness';
import {
  TINY_TYPE,
  fixture,
  rejectionOf,
  routeRuleWithSweep,
  serviceClientSpy,
  sweptRoute,
  tinyChangeRule,
} from './support';

describe('rules/core/execution-role (organization deployments)', () => {
  installHandlerMocks();

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
  });
});
