import { expect } from 'chai';
import { cloudTrailFixtures, itMapsEachCall, type MappingCase } from '../../helpers/change-events';
import { matchesEventName, parseCloudTrailEvent } from '../../../rules/core/change-events';
import {
  FUNCTION_URL_EVENT_NAMES,
  documentedEventName,
  functionOfName,
  functionUrlChangeEvents,
  functionUrlChangedKeys,
} from '../../../rules/lambda-function-url-auth/changeEvents';

/** Lambda calls as EventBridge delivers them (CloudTrail record inside), with and without the API-version suffix. */
const { all: EVENTS, event } = cloudTrailFixtures('cloudtrail-lambda.json');
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:orders-export';

const CASES: readonly MappingCase[] = [
  {
    fixture: 'CreateFunctionUrlConfig',
    says: 'changes the URLs of the function it names',
    expected: 'changed',
    keys: [{ key: 'orders-export' }],
  },
  {
    fixture: 'CreateFunctionUrlConfig20211031 on an alias',
    says: '(the API-version-suffixed name) changes the URLs of its function',
    expected: 'changed',
    keys: [{ key: 'orders-export' }],
  },
  {
    fixture: 'UpdateFunctionUrlConfig',
    says: 'names its function by ARN; the key is the name',
    expected: 'changed',
    keys: [{ key: 'orders-export' }],
  },
  {
    fixture: 'DeleteFunctionUrlConfig',
    says: 'names the removed URL by the ARN the rule reports',
    expected: 'changed',
    keys: [{ key: 'orders-export', removedIds: [FUNCTION_ARN] }],
  },
  {
    fixture: 'DeleteFunctionUrlConfig on an alias, by partial ARN',
    says: 'names the alias URL it removed',
    expected: 'changed',
    keys: [{ key: 'orders-export', removedIds: [`${FUNCTION_ARN}:live`] }],
  },
  {
    fixture: 'DeleteFunction20150331',
    says: 'removes every URL of the function, named or not',
    expected: 'changed',
    keys: [{ key: 'orders-export', removesUnnamed: true }],
  },
  {
    fixture: 'DeleteFunction of a version',
    says: 'removes no URL (versions carry none) but is read again',
    expected: 'changed',
    keys: [{ key: 'orders-export' }],
  },
  {
    fixture: 'DeleteAlias',
    says: "removes the alias's URL",
    expected: 'changed',
    keys: [{ key: 'orders-export', removedIds: [`${FUNCTION_ARN}:live`] }],
  },
  {
    fixture: 'TagResource20170331v2',
    says: 'on a function changes its exception tags',
    expected: 'changed',
    keys: [{ key: 'orders-export' }],
  },
  {
    fixture: 'UntagResource',
    says: 'on a function changes its exception tags',
    expected: 'changed',
    keys: [{ key: 'orders-export' }],
  },
  { fixture: 'TagResource on an event source mapping', says: 'is not about URLs', expected: 'unrelated' },
];

describe('AUTHN-LAMBDA-URL change events (CloudTrail via EventBridge → changed function)', () => {
  itMapsEachCall(CASES, event, functionUrlChangedKeys);

  it('has a fixture for every event name it declares (in the documented or the suffixed form)', () => {
    // Prepare
    const covered = new Set(
      Object.values(EVENTS).map((raw) => documentedEventName(parseCloudTrailEvent(raw).eventName)),
    );
    // Assess
    expect([...FUNCTION_URL_EVENT_NAMES].filter((name) => !covered.has(name))).to.deep.equal([]);
  });

  it('matches the documented names and their date-suffixed forms, and not their longer neighbours', () => {
    // Prepare
    const names = [
      'DeleteFunction',
      'DeleteFunction20150331',
      'TagResource20170331v2',
      'UpdateFunctionUrlConfig20211031',
      'DeleteFunctionUrlConfig',
      'DeleteFunctionConcurrency',
      'DeleteFunctionEventInvokeConfig',
      'UpdateFunctionConfiguration20150331v2',
      'CreateAlias',
    ];
    // Act
    const matched = names.filter((name) => matchesEventName(functionUrlChangeEvents, name));
    // Assess
    expect(matched).to.deep.equal([
      'DeleteFunction',
      'DeleteFunction20150331',
      'TagResource20170331v2',
      'UpdateFunctionUrlConfig20211031',
      'DeleteFunctionUrlConfig',
    ]);
  });

  it('reads every function-name form Lambda accepts, and nothing else', () => {
    expect(functionOfName('orders-export')).to.deep.equal({ name: 'orders-export', qualifier: undefined });
    expect(functionOfName('orders-export:live')).to.deep.equal({ name: 'orders-export', qualifier: 'live' });
    expect(functionOfName(`${FUNCTION_ARN}:$LATEST`)).to.deep.equal({
      name: 'orders-export',
      qualifier: undefined,
    });
    expect(functionOfName('111122223333:function:orders-export')).to.deep.equal({
      name: 'orders-export',
      qualifier: undefined,
    });
    expect(functionOfName('arn:aws:lambda:eu-west-1:111122223333:layer:shared')).to.be.undefined;
  });

  it('a record without functionName (requestParameters withheld) means: sweep everything', () => {
    // Prepare
    const raw = event('UpdateFunctionUrlConfig');
    const withheld = { ...raw, detail: { ...(raw.detail as object), requestParameters: null } };
    // Act
    const mapping = functionUrlChangedKeys(parseCloudTrailEvent(withheld));
    // Assess
    expect(mapping.kind).to.equal('unknown');
  });

  it('TagResource without resource means: sweep everything', () => {
    // Prepare
    const raw = event('UntagResource');
    const withheld = { ...raw, detail: { ...(raw.detail as object), requestParameters: {} } };
    // Act
    const mapping = functionUrlChangedKeys(parseCloudTrailEvent(withheld));
    // Assess
    expect(mapping.kind).to.equal('unknown');
  });
});
