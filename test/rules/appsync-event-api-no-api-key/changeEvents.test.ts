import { expect } from 'chai';
import { cloudTrailFixtures, itMapsEachCall, type MappingCase } from '../../helpers/change-events';
import {
  EVENT_API_EVENT_NAMES,
  apiIdOfArn,
  eventApiChangedKeys,
} from '../../../rules/appsync-event-api-no-api-key/changeEvents';
import { parseCloudTrailEvent } from '../../../rules/core/change-events';

/** AppSync Event API calls as EventBridge delivers them (CloudTrail record inside), one per event name. */
const { event } = cloudTrailFixtures('cloudtrail-appsync-events.json');
const API = 'n7m6l5k4j3h2g1f0e9d8c7b6a5';

const CASES: readonly MappingCase[] = [
  {
    fixture: 'CreateApi',
    says: 'carries the new API id only in its response',
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'UpdateApi',
    says: 'changes the default modes of its API',
    expected: 'changed',
    keys: [{ key: API }],
  },
  { fixture: 'DeleteApi', says: 'names the API it removed', expected: 'changed', keys: [{ key: API }] },
  {
    fixture: 'CreateChannelNamespace',
    says: "changes its API's verdict (one evaluation per API)",
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'UpdateChannelNamespace',
    says: "changes its API's verdict",
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'DeleteChannelNamespace',
    says: "changes its API's verdict",
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'TagResource',
    says: 'on an API changes its exception tags',
    expected: 'changed',
    keys: [{ key: API }],
  },
  {
    fixture: 'UntagResource',
    says: 'on an API changes its exception tags',
    expected: 'changed',
    keys: [{ key: API }],
  },
  { fixture: 'TagResource on a channel namespace', says: 'changes no verdict', expected: 'unrelated' },
];

describe('AUTHN-APPSYNC-EVENTS change events (CloudTrail via EventBridge → changed Event API)', () => {
  itMapsEachCall(CASES, event, eventApiChangedKeys);

  it('has a fixture for every event name it declares, each a call it maps to a change', () => {
    // Act
    const mapped = EVENT_API_EVENT_NAMES.map(
      (name) => eventApiChangedKeys(parseCloudTrailEvent(event(name))).kind,
    );
    // Assess
    expect(mapped).to.deep.equal(EVENT_API_EVENT_NAMES.map(() => 'changed'));
  });

  it('declares none of the GraphQL calls (AppSync.5 is change-triggered by Config)', () => {
    // Assess
    expect(EVENT_API_EVENT_NAMES.filter((name) => name.includes('Graphql'))).to.deep.equal([]);
  });

  it('a record without the API id (requestParameters withheld) means: sweep everything', () => {
    // Prepare
    const raw = event('UpdateChannelNamespace');
    const withheld = {
      ...raw,
      detail: { ...(raw.detail as object), requestParameters: null, responseElements: null },
    };
    // Act
    const mapping = eventApiChangedKeys(parseCloudTrailEvent(withheld));
    // Assess
    expect(mapping.kind).to.equal('unknown');
  });

  it('reads the API id from an API ARN in any partition, and nothing else', () => {
    expect(apiIdOfArn('arn:aws-cn:appsync:cn-north-1:111122223333:apis/q1w2e3')).to.equal('q1w2e3');
    expect(apiIdOfArn(`arn:aws:appsync:eu-west-1:111122223333:apis/${API}/channelNamespace/chat`)).to.be
      .undefined;
    expect(apiIdOfArn('arn:aws:apigateway:eu-west-1::/apis/q1w2e3')).to.be.undefined;
  });
});
