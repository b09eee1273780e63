/**
 * Management calls as EventBridge delivers them from CloudTrail: the EventBridge envelope ("AWS API Call via
 * CloudTrail") around the CloudTrail record, with the record fields CloudTrail writes (userIdentity, eventTime,
 * eventSource, eventName, awsRegion, sourceIPAddress, userAgent, requestParameters, responseElements, requestID,
 * eventID, readOnly, eventType, managementEvent, recipientAccountId, eventCategory).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseCloudTrailEvent,
  type ChangedKey,
  type ChangeMapping,
  type CloudTrailCall,
} from '../../rules/core/change-events';
import { ACCOUNT, REGION } from './events';

export interface CallOptions {
  readonly source: 'aws.apigateway' | 'aws.appsync' | 'aws.elasticache' | 'aws.lambda';
  readonly eventName: string;
  readonly requestParameters?: Record<string, unknown> | null;
  readonly responseElements?: Record<string, unknown> | null;
  readonly errorCode?: string;
  readonly account?: string;
  readonly region?: string;
  readonly time?: string;
  readonly id?: number;
}

const EVENT_SOURCE = {
  'aws.apigateway': 'apigateway.amazonaws.com',
  'aws.elasticache': 'elasticache.amazonaws.com',
  'aws.lambda': 'lambda.amazonaws.com',
  'aws.appsync': 'appsync.amazonaws.com',
};

export function cloudTrailEvent(options: CallOptions): Record<string, unknown> {
  const account = options.account ?? ACCOUNT;
  const region = options.region ?? REGION;
  const time = options.time ?? '2026-10-04T09:00:12Z';
  const id = String(options.id ?? 1).padStart(12, '0');
  return {
    version: '0',
    id: `7bf73129-1428-4cd3-a780-${id}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: options.source,
    account,
    time,
    region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEDEPLOYER:cdk-deploy',
        arn: `arn:aws:sts::${account}:assumed-role/cdk-hnb659fds-cfn-exec-role-${account}-${region}/AWSCloudFormation`,
        accountId: account,
        invokedBy: 'cloudformation.amazonaws.com',
      },
      eventTime: time,
      eventSource: EVENT_SOURCE[options.source],
      eventName: options.eventName,
      awsRegion: region,
      sourceIPAddress: 'cloudformation.amazonaws.com',
      userAgent: 'cloudformation.amazonaws.com',
      ...(options.errorCode === undefined
        ? {}
        : { errorCode: options.errorCode, errorMessage: 'The request was rejected' }),
      requestParameters: options.requestParameters ?? null,
      responseElements: options.responseElements ?? null,
      requestID: `c0ffee00-0000-4000-8000-${id}`,
      eventID: `e7e7e7e7-0000-4000-8000-${id}`,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    },
  };
}

/** A call of one event source: the record's request parameters and response elements as CloudTrail writes them. */
type SourceCall = (
  eventName: string,
  requestParameters: Record<string, unknown> | null,
  responseElements?: Record<string, unknown> | null,
  extra?: Partial<CallOptions>,
) => Record<string, unknown>;

const callOf =
  (source: CallOptions['source']): SourceCall =>
  (eventName, requestParameters, responseElements = null, extra = {}) =>
    cloudTrailEvent({ source, eventName, requestParameters, responseElements, ...extra });

/**
 * An API Gateway call (v2 or REST): path parameters (`apiId`, `routeId`; `restApiId`, `resourceId`, `httpMethod`) and
 * the body as CloudTrail records them.
 */
export const apiGatewayCall = callOf('aws.apigateway');
/** An ElastiCache call: `replicationGroupId` (or `resourceName` for the tagging calls) as CloudTrail records it. */
export const elastiCacheCall = callOf('aws.elasticache');
/** A Lambda call: `functionName` (and `qualifier`) as the caller gave them, or `resource` for the tagging calls. */
export const lambdaCall = callOf('aws.lambda');
/** An AppSync call: path parameters (`apiId`, the namespace `name`) and the body as CloudTrail records them. */
export const appSyncCall = callOf('aws.appsync');

/** The CloudTrail calls of one fixture file (test/fixtures/events/cloudtrail-*.json), by the name each is kept under. */
export function cloudTrailFixtures(file: string): {
  readonly all: Readonly<Record<string, Record<string, unknown>>>;
  readonly event: (name: string) => Record<string, unknown>;
} {
  const all = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'events', file), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  const event = (name: string): Record<string, unknown> => {
    const found = all[name];
    if (found === undefined) throw new Error(`no fixture ${name} in ${file}`);
    return found;
  };
  return { all, event };
}

/** One row of a rule's change-mapping table: a fixture call, what it is, and the mapping it must give. */
export interface MappingCase {
  readonly fixture: string;
  readonly says: string;
  readonly expected: ChangeMapping['kind'];
  readonly keys?: readonly ChangedKey[];
}

/** One test per row: the fixture parsed as the recorder parses it, mapped by the rule, kind and keys asserted. */
export function itMapsEachCall(
  cases: readonly MappingCase[],
  event: (name: string) => Record<string, unknown>,
  changedKeys: (call: CloudTrailCall) => ChangeMapping,
): void {
  for (const testCase of cases) {
    it(`${testCase.fixture} ${testCase.says}`, () => {
      // Prepare
      const call = parseCloudTrailEvent(event(testCase.fixture));
      // Act
      const mapping = changedKeys(call);
      // Assess
      expect(mapping.kind).to.equal(testCase.expected);
      if (testCase.keys !== undefined && mapping.kind === 'changed')
        expect(mapping.keys).to.deep.equal(testCase.keys);
    });
  }
}
