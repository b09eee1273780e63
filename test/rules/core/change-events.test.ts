import { expect } from 'chai';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  coalesce,
  eventPattern,
  matchesEventName,
  parseCloudTrailEvent,
} from '../../../rules/core/change-events';
import { MalformedEventError } from '../../../rules/core/errors';
import { RULES } from '../../../rules/index';
import { apiGatewayCall } from '../../helpers/change-events';
import { ACCOUNT, REGION } from '../../helpers/events';

describe('core/change-events', () => {
  it('reads the account, Region, call and both CloudTrail elements from the EventBridge envelope', () => {
    // Prepare
    const event = apiGatewayCall('UpdateRoute', { apiId: 'a1', routeId: 'r1' }, { routeId: 'r1' });
    // Act
    const call = parseCloudTrailEvent(event);
    // Assess
    expect(call).to.deep.include({
      source: 'aws.apigateway',
      eventSource: 'apigateway.amazonaws.com',
      eventName: 'UpdateRoute',
      account: ACCOUNT,
      region: REGION,
      errorCode: undefined,
    });
    expect(call.requestParameters).to.deep.equal({ apiId: 'a1', routeId: 'r1' });
    expect(call.time.toISOString()).to.equal('2026-10-04T09:00:12.000Z');
  });

  it('keeps the errorCode of a call that failed (nothing changed)', () => {
    const call = parseCloudTrailEvent(
      apiGatewayCall('CreateRoute', { apiId: 'a1' }, null, { errorCode: 'ConflictException' }),
    );
    expect(call.errorCode).to.equal('ConflictException');
  });

  const MALFORMED: readonly [string, unknown][] = [
    ['not an object', 'UpdateRoute'],
    ['another detail-type', { ...apiGatewayCall('UpdateRoute', {}), 'detail-type': 'Scheduled Event' }],
    ['no detail', { ...apiGatewayCall('UpdateRoute', {}), detail: undefined }],
    ['no account', { ...apiGatewayCall('UpdateRoute', {}), account: '' }],
    ['a time that is not one', { ...apiGatewayCall('UpdateRoute', {}), time: 'yesterday' }],
  ];
  for (const [name, event] of MALFORMED) {
    it(`refuses an event with ${name}`, () => {
      expect(() => parseCloudTrailEvent(event)).to.throw(MalformedEventError);
    });
  }

  it('folds a burst into one change per key, keeping every removed id and the unnamed-removal flag', () => {
    // Prepare
    const burst = [
      ...Array.from({ length: 498 }, () => ({ key: 'api-1' })),
      { key: 'api-1', removedIds: ['arn:r2'] },
      { key: 'api-2', removesUnnamed: true },
      { key: 'api-1', removedIds: ['arn:r1', 'arn:r2'] },
    ];
    // Act
    const folded = coalesce(burst);
    // Assess
    expect(folded).to.deep.equal([
      { key: 'api-1', removedIds: ['arn:r1', 'arn:r2'] },
      { key: 'api-2', removesUnnamed: true },
    ]);
  });

  it("builds one EventBridge pattern from the registry's change events", () => {
    // Act
    const pattern = eventPattern(RULES.flatMap((rule) => (rule.changes === undefined ? [] : [rule.changes])));
    // Assess
    expect(pattern.source).to.deep.equal(['aws.apigateway', 'aws.appsync', 'aws.elasticache', 'aws.lambda']);
    expect(pattern['detail-type']).to.deep.equal([CLOUDTRAIL_DETAIL_TYPE]);
    expect(pattern.detail.eventSource).to.deep.equal([
      'apigateway.amazonaws.com',
      'appsync.amazonaws.com',
      'elasticache.amazonaws.com',
      'lambda.amazonaws.com',
    ]);
    expect(pattern.detail.eventName).to.include.members([
      'UpdateRoute',
      'PutMethod',
      'ModifyReplicationGroup',
      'UpdateFunctionUrlConfig',
    ]);
    // TagResource/UntagResource are shared by the two API Gateway rules, Lambda and AppSync: listed once.
    expect(pattern.detail.eventName.filter((name) => name === 'TagResource')).to.have.length(1);
    expect(pattern.detail.eventName).to.deep.include({ prefix: 'TagResource20' });
  });

  it('lists prefixes after the exact names, each once, as EventBridge prefix matches', () => {
    // Prepare
    const declared = [
      {
        source: 'aws.lambda',
        eventSource: 'lambda.amazonaws.com',
        eventNames: ['B', 'A'],
        eventNamePrefixes: ['B20'],
      },
      {
        source: 'aws.lambda',
        eventSource: 'lambda.amazonaws.com',
        eventNames: ['A'],
        eventNamePrefixes: ['B20'],
      },
    ];
    // Act
    const pattern = eventPattern(declared);
    // Assess
    expect(pattern.detail.eventName).to.deep.equal(['A', 'B', { prefix: 'B20' }]);
  });

  it('matches an event name exactly or by a declared prefix, and nothing else', () => {
    // Prepare
    const declared = { eventNames: ['DeleteFunction'], eventNamePrefixes: ['DeleteFunction20'] };
    // Act
    const matched = ['DeleteFunction', 'DeleteFunction20150331', 'DeleteFunctionUrlConfig', 'Delete'].filter(
      (name) => matchesEventName(declared, name),
    );
    // Assess
    expect(matched).to.deep.equal(['DeleteFunction', 'DeleteFunction20150331']);
  });
});
