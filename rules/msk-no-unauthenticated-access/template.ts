/** CloudFormation → cluster facts (`AWS::MSK::Cluster`; serverless clusters are a separate type, IAM only). */
import { field, flag } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import { clientAuthenticationFacts, isPublic, type ClusterFacts } from './rule';

function read(resource: TemplateResource, view: TemplateView): TemplateEvaluation<ClusterFacts>[] {
  const name = view.text(resource.properties.ClusterName, 'ClusterName');
  const resourceName = name.known && name.value !== undefined ? name.value : resource.logicalId;
  const base = {
    resourceId: resource.logicalId,
    logicalId: resource.logicalId,
    resourceName,
    tags: view.tags(resource.properties.Tags),
    ...(resource.line === undefined ? {} : { line: resource.line }),
  };
  const authentication = view.resolve(resource.properties.ClientAuthentication);
  if (!authentication.known) {
    return [{ ...base, unverifiable: `ClientAuthentication is not known before deploy (${authentication.reason})` }];
  }
  const encryption = view.resolve(resource.properties.EncryptionInfo);
  const connectivity = view.resolve(field(resource.properties.BrokerNodeGroupInfo, 'ConnectivityInfo'));
  return [
    {
      ...base,
      facts: {
        name: resourceName,
        arn: undefined,
        clusterType: 'PROVISIONED',
        clientAuthentication: clientAuthenticationFacts(authentication.value),
        inClusterEncryption: encryption.known
          ? flag(field(encryption.value, 'EncryptionInTransit', 'InCluster'))
          : undefined,
        publicAccess: connectivity.known && isPublic(field(connectivity.value, 'PublicAccess', 'Type')),
        region: undefined,
      },
    },
  ];
}

export const clusterTemplate: TemplateAdapter<ClusterFacts> = {
  resourceTypes: ['AWS::MSK::Cluster'],
  read,
  fix: (facts) =>
    `set ClientAuthentication.Sasl.Iam.Enabled (or Scram / Tls) to true and ClientAuthentication.Unauthenticated.Enabled to false, with EncryptionInfo.EncryptionInTransit.ClientBroker TLS${facts.inClusterEncryption === false ? '; InCluster must be true, which replaces the cluster' : ''}`,
};
