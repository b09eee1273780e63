/**
 * The state table (rules/core/state-store.ts says what lives in it and how it is keyed): one per rules stack, in the
 * account and Region the functions run in (the central account in organization mode). On-demand, encrypted with the
 * AWS managed key (no key policy to keep), point-in-time recovery, TTL on `expiresAt`. Destroyed with the stack:
 * every record in it is rebuilt by the next sweep.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { PARTITION_KEY, SORT_KEY, STATE_TABLE_VARIABLE, TTL_ATTRIBUTE } from '../rules/core/state-store';
import { usesStateTable } from '../rules/core/permissions';
import type { AnyRule } from '../rules/core/types';

/** Exactly the calls state-store.ts makes (TransactWriteItems is authorized as the PutItem calls inside it). */
export const STATE_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'] as const;

export function createStateTable(scope: Construct, id = 'StateTable'): Table {
  return new Table(scope, id, {
    partitionKey: { name: PARTITION_KEY, type: AttributeType.STRING },
    sortKey: { name: SORT_KEY, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: TTL_ATTRIBUTE,
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

/**
 * Access for the functions of `rules` to their own records only: `dynamodb:LeadingKeys` limits every call to
 * partition keys that start with one of the rules' names (the key is `<ruleName>#<account>#<region>#<kind>`).
 */
export function stateTableStatement(table: Table, rules: readonly AnyRule[]): PolicyStatement {
  return new PolicyStatement({
    actions: [...STATE_TABLE_ACTIONS],
    resources: [table.tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': rules.map((rule) => `${rule.ruleName}#*`) },
    },
  });
}

/** The environment a rule's function gets for the table (nothing for a rule that keeps no state). */
export function stateTableEnvironment(table: Table, rule: AnyRule): Record<string, string> {
  return usesStateTable(rule) ? { [STATE_TABLE_VARIABLE]: table.tableName } : {};
}
