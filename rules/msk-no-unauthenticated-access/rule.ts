/**
 * MSK.6: no provisioned MSK cluster accepts unauthenticated clients.
 *
 * A cluster with no client authentication configured accepts anyone, as does one that enabled IAM/SCRAM/TLS but
 * left unauthenticated access on beside them.
 */
import { KafkaClient } from '@aws-sdk/client-kafka';
import type { NoParameters } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { clusterFromConfigurationItem } from './config-item';
import { clusterRemediation, clusterRemediationHint, evaluateCluster } from './decision';
import type { ClusterFacts } from './facts';
import { sweepClusters } from './sweep';
import { clusterTemplate } from './template';
import { clusterTerraform } from './terraform';

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
    createClient: (settings) => new KafkaClient(settings),
    iamActions: ['kafka:ListClustersV2'],
  },
  evaluate: evaluateCluster,
  remediation: clusterRemediation,
  remediationHint: clusterRemediationHint,
  fromConfigurationItem: clusterFromConfigurationItem,
  isInternetFacing: (facts) => facts.publicAccess,
  template: clusterTemplate,
  terraform: clusterTerraform,
  sweep: sweepClusters,
};
