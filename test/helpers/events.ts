/**
 * Config rule events built exactly as Config sends them to a Lambda: `invokingEvent` and `ruleParameters` are
 * JSON strings; the item uses the invocation model (`ARN`, `awsAccountId`, `configuration` as an object).
 */
export const ACCOUNT = '444455556666';
export const REGION = 'eu-west-1';
export const RULE_ARN = `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/aws-service-rule/config-conforms.amazonaws.com/config-rule-7x2mqz`;
export const SERVICE_LINKED_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;

export interface ItemOptions {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly configuration: unknown;
  readonly tags?: Record<string, string>;
  readonly status?: string;
  readonly captureTime?: string;
}

/** A configuration item in the invocation model. */
export function configurationItem(options: ItemOptions): Record<string, unknown> {
  return {
    relatedEvents: [],
    relationships: [],
    configuration: options.configuration,
    supplementaryConfiguration: {},
    tags: options.tags ?? {},
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: options.captureTime ?? '2026-10-02T08:41:17.512Z',
    configurationStateId: 1727858477512,
    awsAccountId: ACCOUNT,
    configurationItemStatus: options.status ?? 'OK',
    resourceType: options.resourceType,
    resourceId: options.resourceId,
    resourceName: options.resourceName ?? options.resourceId,
    ARN: options.resourceId.startsWith('arn:') ? options.resourceId : undefined,
    awsRegion: REGION,
    availabilityZone: 'Multiple Availability Zones',
    configurationStateMd5Hash: '',
  };
}

interface EventOptions {
  readonly ruleName?: string;
  readonly ruleParameters?: Record<string, string>;
  readonly eventLeftScope?: boolean;
  readonly resultToken?: string;
}

function envelope(invokingEvent: unknown, options: EventOptions): Record<string, unknown> {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    ...(options.ruleParameters === undefined
      ? {}
      : { ruleParameters: JSON.stringify(options.ruleParameters) }),
    resultToken: options.resultToken ?? 'eyJlbmNyeXB0ZWREYXRhIjpbLTEw',
    eventLeftScope: options.eventLeftScope ?? false,
    executionRoleArn: SERVICE_LINKED_ROLE,
    configRuleArn: RULE_ARN,
    configRuleName: options.ruleName ?? 'authn-rule-conformance-pack-q1w2e3r4',
    configRuleId: 'config-rule-7x2mqz',
    accountId: ACCOUNT,
  };
}

export function changeEvent(item: ItemOptions, options: EventOptions = {}): Record<string, unknown> {
  return envelope(
    {
      configurationItemDiff: null,
      configurationItem: configurationItem(item),
      notificationCreationTime: '2026-10-02T08:42:03.118Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    },
    options,
  );
}

export function oversizedEvent(
  item: Omit<ItemOptions, 'configuration'>,
  options: EventOptions = {},
): Record<string, unknown> {
  return envelope(
    {
      configurationItemSummary: {
        changeType: 'UPDATE',
        configurationItemVersion: '1.3',
        configurationItemCaptureTime: item.captureTime ?? '2026-10-03T12:00:05.000Z',
        configurationStateId: 1727956805000,
        awsAccountId: ACCOUNT,
        configurationItemStatus: item.status ?? 'OK',
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        resourceName: item.resourceName ?? item.resourceId,
        ARN: item.resourceId,
        awsRegion: REGION,
        availabilityZone: 'Not Applicable',
        configurationStateMd5Hash: '',
        resourceCreationTime: '2025-05-14T09:12:00.000Z',
      },
      s3DeliverySummary: { s3BucketLocation: `config-bucket-${ACCOUNT}/AWSLogs/...` },
      notificationCreationTime: '2026-10-03T12:00:09.000Z',
      messageType: 'OversizedConfigurationItemChangeNotification',
      recordVersion: '1.0',
    },
    options,
  );
}

export const SCHEDULED_AT = '2026-10-04T00:00:00.000Z';

export function scheduledEvent(
  options: EventOptions & { notificationCreationTime?: string } = {},
): Record<string, unknown> {
  return envelope(
    {
      awsAccountId: ACCOUNT,
      notificationCreationTime: options.notificationCreationTime ?? SCHEDULED_AT,
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    },
    options,
  );
}
