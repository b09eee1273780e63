import { GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import sinon from 'sinon';
import { MalformedEventError } from '../../../rules/core/errors';
import type { ConfigurationItem } from '../../../rules/core/types';
import { endpointFromConfigurationItem } from '../../../rules/dms-mongodb-authentication/config-item';
import { dmsMongodbAuthentication } from '../../../rules/dms-mongodb-authentication/rule';
import { oversizedEvent } from '../../helpers/events';
import { config, handlerOf, historyResponse, installHandlerMocks, putEvaluations } from './handler-harness';
import { awsError, fixture, rejectionOf, throttling } from './support';

describe('rules/core/oversized (oversized notifications)', () => {
  installHandlerMocks();

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
});
