/**
 * Config configuration item (`AWS::RDS::DBCluster`) → cluster facts.
 *
 * Config writes RDS items in the SDK's bean style (`dBClusterIdentifier`, `iAMDatabaseAuthenticationEnabled`, as in
 * CloudTrail records of the same API), while its advanced-query schema spells the same fields lower-cased
 * (`dbclusterIdentifier`, `iamdatabaseAuthenticationEnabled`). Field names are therefore matched without regard to
 * case; a field recorded twice with different values is unreadable, not guessed.
 */
import { flag, text } from '../core/facts';
import type { ConfigurationItem } from '../core/types';
import type { NeptuneClusterFacts } from './facts';

const MISSING = Symbol('missing');
const CONFLICT = Symbol('conflict');

/** The value of the one field named `name` in any case, MISSING, or CONFLICT when spellings disagree. */
function fieldIgnoringCase(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return MISSING;
  const wanted = name.toLowerCase();
  const values = Object.entries(value as Record<string, unknown>)
    .filter(([key]) => key.toLowerCase() === wanted)
    .map(([, found]) => found);
  if (values.length === 0) return MISSING;
  const [first] = values;
  return values.every((found) => JSON.stringify(found) === JSON.stringify(first)) ? first : CONFLICT;
}

function textIgnoringCase(value: unknown, name: string): string | undefined {
  const found = fieldIgnoringCase(value, name);
  return typeof found === 'symbol' ? undefined : text(found);
}

export function iamAuthOf(configuration: unknown): NeptuneClusterFacts['iamAuth'] {
  const found = fieldIgnoringCase(configuration, 'IAMDatabaseAuthenticationEnabled');
  if (found === MISSING || found === null) return 'absent';
  if (found === CONFLICT) return 'unreadable';
  return flag(found) ?? 'unreadable';
}

export function clusterFromConfigurationItem(item: ConfigurationItem): NeptuneClusterFacts {
  const configuration = item.configuration;
  return {
    identifier:
      textIgnoringCase(configuration, 'DBClusterIdentifier') ?? item.resourceName ?? item.resourceId,
    arn: item.ARN ?? textIgnoringCase(configuration, 'DBClusterArn'),
    engine: textIgnoringCase(configuration, 'Engine'),
    iamAuth: iamAuthOf(configuration),
    region: item.awsRegion,
  };
}
