/**
 * MSK.6: no provisioned MSK cluster accepts unauthenticated clients.
 *
 * A cluster with no client authentication configured accepts anyone, as does one that enabled IAM/SCRAM/TLS but
 * left unauthenticated access on beside them.
 */
import type { KafkaClient } from '@aws-sdk/client-kafka';
import type { NoParameters } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { clusterFromConfigurationItem } from './config-item';
import { CLUSTER_CODES, clusterRemediation, clusterRemediationHint, evaluateCluster } from './decision';
import type { ClusterFacts } from './facts';
import { clusterTemplate } from './template';
import { clusterTerraform } from './terraform';

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-kafka') =>
  require('@aws-sdk/client-kafka') as typeof import('@aws-sdk/client-kafka');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

export const mskNoUnauthenticatedAccess: RuleDefinition<ClusterFacts, KafkaClient, NoParameters> = {
  control: 'MSK.6',
  ruleName: 'authn-msk-no-unauthenticated-access',
  title: 'MSK clusters do not accept unauthenticated clients',
  description:
    'A provisioned MSK cluster has at least one client authentication mechanism (IAM, SASL/SCRAM, mutual TLS) and unauthenticated access off.',
  resourceType: 'AWS::MSK::Cluster',
  trigger: { kind: 'change' },
  parameters: {},
  service: {
    name: 'kafka',
    sdkPackage: '@aws-sdk/client-kafka',
    createClient: (settings) => new (sdk().KafkaClient)(settings),
    iamActions: ['kafka:ListClustersV2'],
  },
  evaluate: evaluateCluster,
  codes: CLUSTER_CODES,
  remediation: clusterRemediation,
  remediationHint: clusterRemediationHint,
  fromConfigurationItem: clusterFromConfigurationItem,
  isInternetFacing: (facts) => facts.publicAccess,
  template: clusterTemplate,
  sweep: (client, context) => sweeps().sweepClusters(client, context),
  terraform: clusterTerraform,
};
