/** The Neptune decision and its fixes: pure, over NeptuneClusterFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import type { NeptuneClusterFacts } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const NEPTUNE_CLUSTER_CODES = [
  'neptune-engine-unreadable',
  'neptune-other-engine',
  'neptune-iam-auth-enabled',
  'neptune-iam-auth-unreadable',
  'neptune-iam-auth-disabled',
] as const;
export type NeptuneClusterCode = (typeof NEPTUNE_CLUSTER_CODES)[number];

const describeCluster = (facts: NeptuneClusterFacts): string => `Neptune cluster "${facts.identifier}"`;

export function evaluateCluster(facts: NeptuneClusterFacts): Verdict<NeptuneClusterCode> {
  const cluster = describeCluster(facts);
  if (facts.engine === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'neptune-engine-unreadable',
      annotation: `DB cluster "${facts.identifier}": engine could not be read, so a Neptune cluster without IAM authentication cannot be ruled out. Inspect it with describe-db-clusters.`,
    };
  }
  if (facts.engine.toLowerCase() !== 'neptune') {
    return {
      compliance: 'NOT_APPLICABLE',
      code: 'neptune-other-engine',
      annotation: `DB cluster "${facts.identifier}" runs ${facts.engine.slice(0, 40)}, not Neptune.`,
    };
  }
  if (facts.iamAuth === true) {
    return {
      compliance: 'COMPLIANT',
      code: 'neptune-iam-auth-enabled',
      annotation: `${cluster} requires IAM database authentication (SigV4-signed requests).`,
    };
  }
  if (facts.iamAuth === 'unreadable') {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'neptune-iam-auth-unreadable',
      annotation: `${cluster}: IAMDatabaseAuthenticationEnabled could not be read, so authentication is not verified. Enable IAM database authentication.`,
    };
  }
  return {
    compliance: 'NON_COMPLIANT',
    code: 'neptune-iam-auth-disabled',
    annotation: `${cluster} does not require IAM database authentication${facts.iamAuth === 'absent' ? ' (not set: off by default)' : ''}: Neptune has no passwords, so anyone who reaches its endpoint can query it. Enable IAM auth and sign requests with SigV4.`,
  };
}

export function clusterRemediation(facts: NeptuneClusterFacts): string {
  const region = facts.region === undefined ? '' : ` --region ${facts.region}`;
  return `aws neptune modify-db-cluster${region} --db-cluster-identifier ${facts.identifier} --enable-iam-database-authentication --apply-immediately`;
}

/**
 * The fix from what an evaluation result names: Config's resource id for `AWS::RDS::DBCluster` is the cluster
 * resource id (`cluster-…`), which modify-db-cluster does not take, so the identifier is looked up first; the scan
 * names the cluster by its ARN, which ends in the identifier.
 */
export function clusterRemediationHint(target: RemediationTarget): string {
  const fromArn = /:cluster:([^:/]+)$/.exec(target.resourceId)?.[1];
  if (fromArn !== undefined) {
    return clusterRemediation({
      identifier: fromArn,
      arn: target.resourceId,
      engine: 'neptune',
      iamAuth: false,
      region: target.region,
    });
  }
  const lookup =
    `aws neptune describe-db-clusters --region ${target.region} --filters Name=engine,Values=neptune` +
    ` --query "DBClusters[?DbClusterResourceId=='${target.resourceId}'].DBClusterIdentifier" --output text`;
  const fix = clusterRemediation({
    identifier: '<cluster-identifier>',
    arn: undefined,
    engine: 'neptune',
    iamAuth: false,
    region: target.region,
  });
  return `${fix}  # <cluster-identifier>: ${lookup}`;
}
