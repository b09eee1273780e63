/**
 * Neptune.7: Neptune DB clusters use IAM database authentication.
 *
 * Neptune has no database users or passwords: without IAM authentication, reaching the endpoint is the only check.
 * Config records Neptune clusters as `AWS::RDS::DBCluster` (engine `neptune`), so the rule is change-triggered on
 * that type, like the managed rule neptune-cluster-iam-database-authentication; other engines are NOT_APPLICABLE.
 */
import type { NeptuneClient } from '@aws-sdk/client-neptune';
import type { NoParameters } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { clusterFromConfigurationItem } from './config-item';
import {
  NEPTUNE_CLUSTER_CODES,
  clusterRemediation,
  clusterRemediationHint,
  evaluateCluster,
} from './decision';
import type { NeptuneClusterFacts } from './facts';
import { neptuneClusterTemplate } from './template';
import { neptuneClusterTerraform } from './terraform';

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-neptune') =>
  require('@aws-sdk/client-neptune') as typeof import('@aws-sdk/client-neptune');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

export const neptuneIamAuth: RuleDefinition<NeptuneClusterFacts, NeptuneClient, NoParameters> = {
  control: 'Neptune.7',
  ruleName: 'authn-neptune-iam-auth',
  title: 'Neptune DB clusters use IAM database authentication',
  description:
    'Every Amazon Neptune DB cluster requires IAM database authentication (SigV4-signed requests); Neptune has no passwords.',
  resourceType: 'AWS::RDS::DBCluster',
  trigger: { kind: 'change' },
  parameters: {},
  service: {
    name: 'neptune',
    sdkPackage: '@aws-sdk/client-neptune',
    createClient: (settings) => new (sdk().NeptuneClient)(settings),
    // The Neptune management API is the RDS API (endpoint prefix and signing name `rds`), so are its IAM actions.
    iamActions: ['rds:DescribeDBClusters', 'rds:ListTagsForResource'],
  },
  evaluate: evaluateCluster,
  codes: NEPTUNE_CLUSTER_CODES,
  remediation: clusterRemediation,
  remediationHint: clusterRemediationHint,
  fromConfigurationItem: clusterFromConfigurationItem,
  sweep: (client, context) => sweeps().sweepClusters(client, context),
  template: neptuneClusterTemplate,
  terraform: neptuneClusterTerraform,
};
