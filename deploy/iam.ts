/**
 * Least privilege, derived from the registry: `evaluatedAccountActions(rule)` says which actions a rule's invocation
 * makes; the table here says, for each action, the narrowest resources IAM lets a policy name (from the Service
 * Authorization Reference). An action the registry adds without an entry here fails the synth, so widening a
 * policy is always a deliberate edit.
 */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RULES } from '../rules/index';
import { evaluatedAccountActions } from '../rules/core/permissions';
import type { AnyRule } from '../rules/core/types';
import { EXIT, PackError } from '../rules/core/errors';

/** Where ARNs point: tokens (`AWS::Region` …) in a stack, or `*` where one role serves every Region. */
export interface ArnScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

type ResourceScoping =
  /** ARNs with a wildcard where IAM cannot know more in advance; `why` says what the wildcard stands for. */
  | { readonly resources: (scope: ArnScope) => string[]; readonly why: string }
  /** The action has no resource type in IAM: `*` is the only value a policy can name. */
  | { readonly anyResource: string };

const NO_RESOURCE_TYPE =
  'has no resource-level permissions (the Service Authorization Reference lists no resource type), so only "*" can be named';

export const ACTION_SCOPING: Readonly<Record<string, ResourceScoping>> = {
  'config:PutEvaluations': {
    anyResource: `config:PutEvaluations ${NO_RESOURCE_TYPE}; the result token Config hands the function names the rule`,
  },
  'config:GetResourceConfigHistory': {
    anyResource: `config:GetResourceConfigHistory ${NO_RESOURCE_TYPE}; it reads the one item an oversized notification names`,
  },
  'config:GetComplianceDetailsByConfigRule': {
    resources: ({ partition, region, account }) => [
      `arn:${partition}:config:${region}:${account}:config-rule/*`,
    ],
    why: 'config:GetComplianceDetailsByConfigRule on config-rule/*: rule ARNs end in a random id that Config assigns (conformance-pack rules are created by Config itself), so only the account and Region can be fixed',
  },
  'apigateway:GET': {
    resources: ({ partition, region }) => [
      `arn:${partition}:apigateway:${region}::/apis`,
      `arn:${partition}:apigateway:${region}::/apis/*`,
      `arn:${partition}:apigateway:${region}::/restapis`,
      `arn:${partition}:apigateway:${region}::/restapis/*/resources`,
      `arn:${partition}:apigateway:${region}::/restapis/*/resources/*/methods/*`,
    ],
    why: "apigateway:GET on /apis, /apis/*, /restapis, /restapis/*/resources and their methods: GetApis, GetApi (a changed API, read again after its change event) and GetRoutes of every HTTP and WebSocket API (IAM's * also matches the API's other read-only sub-resources), and GetRestApis, GetResources and GetMethod of every REST API, whose ids the sweeps and the change events discover",
  },
  'config:StartConfigRulesEvaluation': {
    resources: ({ partition, region, account }) => [
      `arn:${partition}:config:${region}:${account}:config-rule/*`,
    ],
    why: 'config:StartConfigRulesEvaluation on config-rule/*: the change recorder starts the rule a change event concerns, and a sweep that continues across invocations starts its own rule again; rule ARNs end in an id Config assigns',
  },
  'appsync:ListGraphqlApis': { anyResource: `appsync:ListGraphqlApis ${NO_RESOURCE_TYPE}` },
  // AppSync Event APIs, from the Service Authorization Reference ("Actions, resources, and condition keys for AWS
  // AppSync"): ListApis has no resource type (its only condition key is aws:ResourceTag/${TagKey}), so "*" is all a
  // policy can name; GetApi and ListChannelNamespaces require the `api` type,
  // arn:${Partition}:appsync:${Region}:${Account}:apis/${ApiId}. The sweep learns the ids from ListApis, so the
  // account's and Region's apis/* is the narrowest: IAM's * there also matches a GraphQL API's ARN (the same form) and
  // a channel namespace's (apis/${ApiId}/channelNamespace/${Name}), which these two actions do not authorize against.
  'appsync:ListApis': {
    anyResource:
      'appsync:ListApis has no resource type in the Service Authorization Reference (it lists every API of the account and Region, and its only condition key is aws:ResourceTag), so only "*" can be named',
  },
  ...Object.fromEntries(
    ['appsync:GetApi', 'appsync:ListChannelNamespaces'].map((action): [string, ResourceScoping] => [
      action,
      {
        resources: ({ partition, region, account }) => [
          `arn:${partition}:appsync:${region}:${account}:apis/*`,
        ],
        why: `${action} on apis/*: the Service Authorization Reference requires its api resource type (arn:<partition>:appsync:<region>:<account>:apis/<apiId>), and the sweep reads every Event API of the account, whose ids ListApis discovers`,
      },
    ]),
  ),
  'kafka:ListClustersV2': { anyResource: `kafka:ListClustersV2 ${NO_RESOURCE_TYPE}` },
  'elasticache:DescribeReplicationGroups': {
    resources: ({ partition, region, account }) => [
      `arn:${partition}:elasticache:${region}:${account}:replicationgroup:*`,
    ],
    why: 'elasticache:DescribeReplicationGroups on replicationgroup:*: the sweep lists every group of the account, whatever its name',
  },
  'elasticache:DescribeCacheClusters': {
    resources: ({ partition, region, account }) => [
      `arn:${partition}:elasticache:${region}:${account}:cluster:*`,
    ],
    why: "elasticache:DescribeCacheClusters on cluster:*: a group's engine version is read from its member clusters, whatever their names",
  },
  'elasticache:ListTagsForResource': {
    resources: ({ partition, region, account }) => [
      `arn:${partition}:elasticache:${region}:${account}:replicationgroup:*`,
    ],
    why: 'elasticache:ListTagsForResource on replicationgroup:*: exception tags are read from the failing replication groups only',
  },
  'dms:DescribeEndpoints': { anyResource: `dms:DescribeEndpoints ${NO_RESOURCE_TYPE}` },
  'lambda:ListFunctions': { anyResource: `lambda:ListFunctions ${NO_RESOURCE_TYPE}` },
  ...Object.fromEntries(
    [
      'lambda:ListFunctionUrlConfigs',
      'lambda:GetFunctionUrlConfig',
      'lambda:ListAliases',
      'lambda:ListTags',
      // Service Authorization Reference: GetFunctionConfiguration acts on the function resource type.
      'lambda:GetFunctionConfiguration',
    ].map((action): [string, ResourceScoping] => [
      action,
      {
        resources: ({ partition, region, account }) => [
          `arn:${partition}:lambda:${region}:${account}:function:*`,
        ],
        why: `${action} on function:*: the sweep (and the re-read after a change) reads the URLs, aliases, tags and configuration of any function of the account, whatever its name`,
      },
    ]),
  ),
  'dms:ListTagsForResource': {
    resources: ({ partition, region, account }) => [`arn:${partition}:dms:${region}:${account}:endpoint:*`],
    why: 'dms:ListTagsForResource on endpoint:*: exception tags are read from DMS endpoints only, whose ARNs end in a random id',
  },
};

/** An IAM action of the registry has no resource scoping: the synth stops rather than grant it on `*`. */
export class UnscopedActionError extends PackError {
  override readonly name = 'UnscopedActionError';
  readonly code = 'unscoped-action';
  readonly exitStatus = EXIT.failing;
  constructor(action: string) {
    super(
      `IAM action ${action} comes from the registry but deploy/iam.ts does not say which resources it may touch: ` +
        'add it to ACTION_SCOPING (its resource types are in the Service Authorization Reference).',
    );
  }
}

function scopingOf(action: string): ResourceScoping {
  const scoping = ACTION_SCOPING[action];
  if (scoping === undefined) throw new UnscopedActionError(action);
  return scoping;
}

/** Why the resources of a statement over these actions contain a wildcard (for reviews and cdk-nag acknowledgements). */
export function wildcardReason(actions: readonly string[]): string {
  return [...new Set(actions)]
    .sort()
    .map((action) => {
      const scoping = scopingOf(action);
      return 'anyResource' in scoping ? scoping.anyResource : scoping.why;
    })
    .join('; ');
}

/**
 * Policy statements granting exactly `actions`, each on its narrowest resources in every scope given (one per Region
 * where one role serves several); actions with the same resources share a statement.
 */
export function scopedStatements(
  actions: readonly string[],
  scopes: readonly ArnScope[],
  conditions?: Record<string, Record<string, unknown>>,
): PolicyStatement[] {
  const groups = new Map<string, { resources: string[]; actions: string[] }>();
  for (const action of [...new Set(actions)].sort()) {
    const scoping = scopingOf(action);
    const resources =
      'anyResource' in scoping ? ['*'] : [...new Set(scopes.flatMap((scope) => scoping.resources(scope)))];
    const key = JSON.stringify(resources);
    const group = groups.get(key) ?? { resources, actions: [] };
    group.actions.push(action);
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (group) =>
      new PolicyStatement({
        actions: group.actions,
        resources: group.resources,
        ...(conditions === undefined ? {} : { conditions }),
      }),
  );
}

/** What the change recorder calls in an evaluated account (organization mode: through the member execution role). */
export const RECORDER_ACCOUNT_ACTIONS: readonly string[] = ['config:StartConfigRulesEvaluation'];

/**
 * Every action any rule's invocation makes in an evaluated account, and the change recorder's start when a rule has
 * change events: the member execution role's permissions.
 */
export function memberAccountActions(rules: readonly AnyRule[] = RULES): string[] {
  const recorder = rules.some((rule) => rule.changes !== undefined) ? RECORDER_ACCOUNT_ACTIONS : [];
  return [...new Set([...rules.flatMap((rule) => evaluatedAccountActions(rule)), ...recorder])].sort();
}
