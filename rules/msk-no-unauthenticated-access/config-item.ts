/** Config configuration item (AWS::MSK::Cluster) → cluster facts. */
import { field, flag, text } from '../core/facts';
import type { ConfigurationItem } from '../core/types';
import { clientAuthenticationFacts, isPublic, type ClusterFacts } from './facts';

export function clusterFromConfigurationItem(item: ConfigurationItem): ClusterFacts {
  const configuration = item.configuration;
  return {
    name: text(field(configuration, 'ClusterName')) ?? item.resourceName ?? item.resourceId,
    arn: text(field(configuration, 'Arn')) ?? item.ARN,
    clusterType: undefined,
    clientAuthentication: clientAuthenticationFacts(field(configuration, 'ClientAuthentication')),
    inClusterEncryption: flag(field(configuration, 'EncryptionInfo', 'EncryptionInTransit', 'InCluster')),
    publicAccess: isPublic(
      field(configuration, 'BrokerNodeGroupInfo', 'ConnectivityInfo', 'PublicAccess', 'Type'),
    ),
    region: item.awsRegion,
  };
}
