/**
 * The pack's own state table (DynamoDB, created by the CDK app, one per account and Region where the functions
 * run): change records of the EventBridge path, and room for other record kinds (a `pk` prefix per kind).
 * Reached with the function's own credentials, never the member execution role: the table lives where the
 * functions do (the central account in organization mode).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientSettings } from './clients';

/** The environment variable naming the table; absent: no state table (the rule runs on its schedule alone). */
export const STATE_TABLE_VARIABLE = 'AUTHN_PACK_STATE_TABLE';
/** The table's keys and TTL attribute (epoch seconds), as deploy/state-table.ts creates them. */
export const STATE_TABLE_KEYS = { partition: 'pk', sort: 'sk', ttl: 'expiresAt' } as const;

export function stateTableName(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = environment[STATE_TABLE_VARIABLE]?.trim();
  return name === undefined || name === '' ? undefined : name;
}

export function createStateClient(region: string | undefined): DynamoDBClient {
  return new DynamoDBClient(clientSettings(region));
}
