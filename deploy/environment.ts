/**
 * The environment each rule's function gets: the state table's name where the rule keeps state, and for the sweeps
 * that call API Gateway their share of the account's quota in requests a second (rules/core/api-gateway-quota.ts).
 */
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { API_GATEWAY_RATE_VARIABLE, sweepRate, sweepsApiGateway } from '../rules/core/api-gateway-quota';
import { RULES } from '../rules/index';
import type { AnyRule } from '../rules/core/types';
import type { Settings } from './settings';
import { stateTableEnvironment } from './state-table';

export function functionEnvironment(
  rule: AnyRule,
  table: Table,
  settings: Pick<Settings, 'apiGatewayQuotaShare'>,
  rules: readonly AnyRule[] = RULES,
): Record<string, string> {
  const sharing = rules.filter((candidate) => sweepsApiGateway(candidate)).length;
  return {
    ...stateTableEnvironment(table, rule),
    ...(sweepsApiGateway(rule)
      ? {
          [API_GATEWAY_RATE_VARIABLE]: String(
            sweepRate(settings.apiGatewayQuotaShare, sharing).ratePerSecond,
          ),
        }
      : {}),
  };
}
