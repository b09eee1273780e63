import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { fromApiConfigurationItem, parseConfigRuleEvent } from '../../../rules/core/config-event';
import { MalformedEventError } from '../../../rules/core/errors';
import { ACCOUNT, changeEvent, oversizedEvent, scheduledEvent } from '../../helpers/events';
import { fixture, withInvokingEvent } from './support';

const ITEM = {
  resourceType: 'AWS::MSK::Cluster',
  resourceId: 'arn:aws:kafka:eu-west-1:1:cluster/c/1',
  configuration: { a: 1 },
};

/** The MalformedEventError `parseConfigRuleEvent` throws for `event` (fails the test when it throws none). */
function malformed(event: unknown): MalformedEventError {
  try {
    parseConfigRuleEvent(event);
  } catch (error) {
    if (error instanceof MalformedEventError) return error;
    throw error;
  }
  throw new Error('expected a MalformedEventError, but the event was accepted');
}

describe('rules/core/config-event', () => {
  describe('parseConfigRuleEvent: the three message types', () => {
    it('reads a ConfigurationItemChangeNotification (change-notification-msk.json)', () => {
      // Prepare
      const event = fixture('change-notification-msk.json');
      // Act
      const parsed = parseConfigRuleEvent(event);
      // Assess
      expect(parsed.kind).to.equal('change');
      if (parsed.kind !== 'change') return;
      expect(parsed.item.resourceType).to.equal('AWS::MSK::Cluster');
      expect(parsed.item.ARN).to.equal(parsed.item.resourceId);
      expect(parsed.item.configuration).to.have.nested.property(
        'ClientAuthentication.Sasl.Iam.Enabled',
        true,
      );
      expect(parsed.item.tags).to.deep.equal({ team: 'analytics' });
      expect(parsed.configRuleName).to.equal('authn-msk-no-unauthenticated-access-conformance-pack-q1w2e3r4');
      expect(parsed.ruleParameters).to.deep.equal({ ExecutionRoleName: 'authn-pack-member' });
      expect(parsed.accountId).to.equal('444455556666');
      expect(parsed.eventLeftScope).to.be.false;
    });

    it('reads an OversizedConfigurationItemChangeNotification summary (oversized-notification-dms.json)', () => {
      // Act
      const parsed = parseConfigRuleEvent(fixture('oversized-notification-dms.json'));
      // Assess
      expect(parsed.kind).to.equal('oversized');
      if (parsed.kind !== 'oversized') return;
      expect(parsed.summary).to.deep.equal({
        resourceType: 'AWS::DMS::Endpoint',
        resourceId: 'arn:aws:dms:eu-west-1:444455556666:endpoint:Q7K3M1ZP2XJ4W',
        resourceName: 'catalog-mongo-target',
        configurationItemStatus: 'OK',
        configurationItemCaptureTime: '2026-10-03T12:00:05.000Z',
      });
      expect(parsed.ruleParameters).to.deep.equal({});
    });

    it('reads a ScheduledNotification with its notificationCreationTime (scheduled-notification.json)', () => {
      // Act
      const parsed = parseConfigRuleEvent(fixture('scheduled-notification.json'));
      // Assess
      expect(parsed.kind).to.equal('scheduled');
      if (parsed.kind !== 'scheduled') return;
      expect(parsed.notificationCreationTime).to.deep.equal(new Date('2026-10-04T00:00:00.000Z'));
    });

    it('reads a deleted resource with a null configuration (resource-deleted-appsync.json)', () => {
      // Act
      const parsed = parseConfigRuleEvent(fixture('resource-deleted-appsync.json'));
      // Assess
      if (parsed.kind !== 'change') throw new Error(`expected a change event, got ${parsed.kind}`);
      expect(parsed.item.configurationItemStatus).to.equal('ResourceDeleted');
      expect(parsed.item.configuration).to.be.null;
    });

    it('takes eventLeftScope: true', () => {
      // Act
      const parsed = parseConfigRuleEvent(changeEvent(ITEM, { eventLeftScope: true }));
      // Assess
      expect(parsed.eventLeftScope).to.be.true;
    });

    it('reads absent, null and empty ruleParameters as no parameters (defaults)', () => {
      // Prepare
      const event = changeEvent(ITEM);
      // Act
      const absent = parseConfigRuleEvent(event);
      const empty = parseConfigRuleEvent({ ...event, ruleParameters: '' });
      const nothing = parseConfigRuleEvent({ ...event, ruleParameters: null });
      const emptyObject = parseConfigRuleEvent({ ...event, ruleParameters: '{}' });
      // Assess
      expect(event).to.not.have.property('ruleParameters');
      for (const parsed of [absent, empty, nothing, emptyObject])
        expect(parsed.ruleParameters).to.deep.equal({});
    });

    it('takes accountId from the invoking event when the envelope has none', () => {
      // Act
      const parsed = parseConfigRuleEvent({ ...scheduledEvent(), accountId: undefined });
      // Assess
      expect(parsed.accountId).to.equal(ACCOUNT);
    });

    it('treats tags that are not a map as no tags and drops non-string tag values', () => {
      // Prepare
      const event = withInvokingEvent(changeEvent(ITEM), (invoking) => {
        (invoking.configurationItem as Record<string, unknown>).tags = { team: 'a', count: 3 };
      });
      // Act
      const parsed = parseConfigRuleEvent(event);
      // Assess
      if (parsed.kind !== 'change') throw new Error('expected a change event');
      expect(parsed.item.tags).to.deep.equal({ team: 'a' });
    });
  });

  describe('parseConfigRuleEvent: malformed events', () => {
    it('refuses an event that is not an object', () => {
      // Act and Assess
      for (const event of ['text', 42, null, undefined, [changeEvent(ITEM)]]) {
        expect(malformed(event).message).to.equal(
          'Malformed Config rule event: the event is not a JSON object',
        );
      }
    });

    it('refuses an invokingEvent that is not JSON', () => {
      // Act
      const error = malformed({ ...changeEvent(ITEM), invokingEvent: '{"messageType": ' });
      // Assess
      expect(error.message).to.equal('Malformed Config rule event: invokingEvent is not valid JSON');
      expect(error.cause).to.be.instanceOf(SyntaxError);
    });

    it('refuses an invokingEvent that is missing or not a string', () => {
      // Act and Assess
      expect(malformed({ ...changeEvent(ITEM), invokingEvent: undefined }).message).to.include(
        'invokingEvent must be a JSON string',
      );
      expect(malformed({ ...changeEvent(ITEM), invokingEvent: 17 }).message).to.include(
        'invokingEvent must be a JSON string',
      );
    });

    it('refuses an invokingEvent that encodes something other than an object', () => {
      // Act and Assess
      expect(malformed({ ...changeEvent(ITEM), invokingEvent: '"text"' }).message).to.include(
        'invokingEvent must encode a JSON object',
      );
    });

    it('refuses an invokingEvent without messageType', () => {
      // Act
      const error = malformed(
        withInvokingEvent(changeEvent(ITEM), (invoking) => delete invoking.messageType),
      );
      // Assess
      expect(error.message).to.equal('Malformed Config rule event: invokingEvent.messageType is missing');
    });

    it('refuses an unknown messageType, listing the ones handled', () => {
      // Act
      const error = malformed(
        withInvokingEvent(
          scheduledEvent(),
          (invoking) => (invoking.messageType = 'ConfigurationSnapshotDeliveryCompleted'),
        ),
      );
      // Assess
      expect(error.message).to.include(
        '"ConfigurationSnapshotDeliveryCompleted" is not one this rule handles',
      );
      expect(error.message).to.include('ScheduledNotification');
      expect(error.message).to.include('OversizedConfigurationItemChangeNotification');
    });

    it('refuses an event without resultToken', () => {
      // Act and Assess
      expect(malformed({ ...changeEvent(ITEM), resultToken: undefined }).message).to.equal(
        'Malformed Config rule event: event.resultToken is missing',
      );
    });

    it('refuses an event without configRuleName', () => {
      // Act and Assess
      expect(malformed({ ...changeEvent(ITEM), configRuleName: undefined }).message).to.equal(
        'Malformed Config rule event: event.configRuleName is missing',
      );
    });

    it('refuses an event with no account id anywhere', () => {
      // Prepare
      const event = withInvokingEvent(
        { ...scheduledEvent(), accountId: '' },
        (invoking) => delete invoking.awsAccountId,
      );
      // Assess
      expect(malformed(event).message).to.include('event.accountId is missing');
    });

    it('refuses an eventLeftScope that is not a boolean', () => {
      // Act and Assess
      expect(malformed({ ...changeEvent(ITEM), eventLeftScope: 'true' }).message).to.include(
        'event.eventLeftScope must be a boolean',
      );
    });

    it('refuses a change notification without configurationItem', () => {
      // Act and Assess
      expect(
        malformed(withInvokingEvent(changeEvent(ITEM), (invoking) => delete invoking.configurationItem))
          .message,
      ).to.include('invokingEvent.configurationItem is missing');
    });

    for (const field of [
      'resourceType',
      'resourceId',
      'configurationItemStatus',
      'configurationItemCaptureTime',
    ]) {
      it(`refuses a configuration item without ${field}`, () => {
        // Prepare
        const event = withInvokingEvent(changeEvent(ITEM), (invoking) => {
          Reflect.deleteProperty(invoking.configurationItem as Record<string, unknown>, field);
        });
        // Act
        const error = malformed(event);
        // Assess
        expect(error.message).to.equal(`Malformed Config rule event: configurationItem.${field} is missing`);
      });
    }

    it('refuses a configuration item whose capture time is not a timestamp', () => {
      // Act
      const error = malformed(changeEvent({ ...ITEM, captureTime: 'yesterday' }));
      // Assess
      expect(error.message).to.include('configurationItem.configurationItemCaptureTime is not a timestamp');
    });

    // Found by the property test (seed -1710686712): an object as resourceName reached a rule's annotation template
    // and threw a TypeError instead of a MalformedEventError.
    for (const [label, value] of [
      ['an object', { valueOf: null, toString: null }],
      ['a number', 7],
      ['an array', ['orders']],
    ] as const) {
      it(`refuses a configuration item or summary whose resourceName is ${label}`, () => {
        // Prepare
        const item = withInvokingEvent(changeEvent(ITEM), (invoking) => {
          (invoking.configurationItem as Record<string, unknown>).resourceName = value;
        });
        const summary = withInvokingEvent(
          oversizedEvent({ resourceType: 'AWS::DMS::Endpoint', resourceId: 'arn:aws:dms:x' }),
          (invoking) => {
            (invoking.configurationItemSummary as Record<string, unknown>).resourceName = value;
          },
        );
        // Act and Assess
        expect(malformed(item).message).to.include('configurationItem.resourceName must be a string');
        expect(malformed(summary).message).to.include(
          'configurationItemSummary.resourceName must be a string',
        );
      });
    }

    it('reads a null resourceName as no name (Config leaves it empty for unnamed resources)', () => {
      // Prepare
      const event = withInvokingEvent(changeEvent(ITEM), (invoking) => {
        (invoking.configurationItem as Record<string, unknown>).resourceName = null;
      });
      // Act
      const invocation = parseConfigRuleEvent(event);
      // Assess
      expect(invocation.kind).to.equal('change');
      if (invocation.kind !== 'change') return;
      expect(invocation.item).to.not.have.property('resourceName');
    });

    it('refuses an oversized notification without a summary, or with a summary missing its resourceId', () => {
      // Prepare
      const base = oversizedEvent({ resourceType: 'AWS::DMS::Endpoint', resourceId: 'arn:aws:dms:x' });
      const noSummary = withInvokingEvent(base, (invoking) => delete invoking.configurationItemSummary);
      const noId = withInvokingEvent(base, (invoking) => {
        delete (invoking.configurationItemSummary as Record<string, unknown>).resourceId;
      });
      // Assess
      expect(malformed(noSummary).message).to.include('invokingEvent.configurationItemSummary is missing');
      expect(malformed(noId).message).to.include('configurationItemSummary.resourceId is missing');
    });

    it('refuses a ScheduledNotification without notificationCreationTime', () => {
      // Act and Assess
      expect(
        malformed(withInvokingEvent(scheduledEvent(), (invoking) => delete invoking.notificationCreationTime))
          .message,
      ).to.include('invokingEvent.notificationCreationTime is missing');
    });

    it('refuses ruleParameters that are not JSON', () => {
      // Act
      const error = malformed({ ...changeEvent(ITEM), ruleParameters: "{'ExecutionRoleName': 'x'}" });
      // Assess
      expect(error.message).to.equal('Malformed Config rule event: ruleParameters is not valid JSON');
    });

    it('refuses ruleParameters that encode something other than an object', () => {
      // Act and Assess
      expect(malformed({ ...changeEvent(ITEM), ruleParameters: '["a"]' }).message).to.include(
        'ruleParameters must encode a JSON object',
      );
    });
  });

  describe('fromApiConfigurationItem (GetResourceConfigHistory → invocation model)', () => {
    function apiItem(): ApiConfigurationItem {
      const response = fixture('get-resource-config-history-response.json') as {
        configurationItems: (Omit<ApiConfigurationItem, 'configurationItemCaptureTime'> & {
          configurationItemCaptureTime: string;
        })[];
      };
      const first = response.configurationItems[0]!;
      return { ...first, configurationItemCaptureTime: new Date(first.configurationItemCaptureTime) };
    }

    it('renames arn → ARN, accountId → awsAccountId, configurationItemMD5Hash → configurationStateMd5Hash, version → configurationItemVersion', () => {
      // Act
      const item = fromApiConfigurationItem(apiItem());
      // Assess
      expect(item.ARN).to.equal('arn:aws:dms:eu-west-1:444455556666:endpoint:Q7K3M1ZP2XJ4W');
      expect(item.awsAccountId).to.equal('444455556666');
      expect(item.configurationStateMd5Hash).to.equal('');
      expect(item.configurationItemVersion).to.equal('1.3');
      expect(item).to.not.have.property('arn');
      expect(item).to.not.have.property('accountId');
      expect(item.resourceType).to.equal('AWS::DMS::Endpoint');
      expect(item.resourceName).to.equal('catalog-mongo-target');
      expect(item.tags).to.deep.equal({ owner: 'catalog' });
    });

    it('parses the configuration JSON string into an object', () => {
      // Act
      const item = fromApiConfigurationItem(apiItem());
      // Assess
      expect(item.configuration).to.deep.include({ EngineName: 'mongodb', EndpointType: 'target' });
      expect(item.configuration).to.have.nested.property('MongoDbSettings.AuthType', 'password');
    });

    it('writes the capture time as an ISO string', () => {
      // Act and Assess
      expect(fromApiConfigurationItem(apiItem()).configurationItemCaptureTime).to.equal(
        '2026-10-03T12:00:05.000Z',
      );
    });

    it('parses supplementaryConfiguration values and renames relationshipName → name', () => {
      // Act
      const item = fromApiConfigurationItem({
        ...apiItem(),
        supplementaryConfiguration: { Policy: '{"Version":"2012-10-17"}', Plain: 'not json' },
        relationships: [
          { resourceType: 'AWS::EC2::VPC', resourceId: 'vpc-1', relationshipName: 'Is contained in Vpc' },
        ],
      });
      // Assess
      expect(item.supplementaryConfiguration).to.deep.equal({
        Policy: { Version: '2012-10-17' },
        Plain: 'not json',
      });
      expect(item.relationships).to.deep.equal([
        {
          resourceType: 'AWS::EC2::VPC',
          resourceId: 'vpc-1',
          resourceName: undefined,
          name: 'Is contained in Vpc',
        },
      ]);
    });

    it('keeps a configuration that is not JSON as the string (the rule then finds no facts and fails closed)', () => {
      // Act and Assess
      expect(fromApiConfigurationItem({ ...apiItem(), configuration: '{broken' }).configuration).to.equal(
        '{broken',
      );
    });

    it('refuses an item without resourceType or resourceId', () => {
      // Act and Assess
      expect(() => fromApiConfigurationItem({ ...apiItem(), resourceId: undefined })).to.throw(
        MalformedEventError,
        'GetResourceConfigHistory returned an item without resourceType/resourceId',
      );
    });
  });
});
