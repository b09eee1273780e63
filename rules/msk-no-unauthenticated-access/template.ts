/** CloudFormation → cluster facts (`AWS::MSK::Cluster`; serverless clusters are a separate type, IAM only). */
import { field, flag } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import {
  clientAuthenticationFacts,
  isPublic,
  type ClientAuthenticationFacts,
  type ClusterFacts,
} from './facts';

function read(resource: TemplateResource, view: TemplateView): TemplateEvaluation<ClusterFacts>[] {
  const base = view.subject(resource, 'ClusterName');
  const resourceName = base.resourceName;
  // Only the switches are read: a certificate authority list of `!Ref`s is counted, not resolved.
  const authentication = view.locate(resource.properties.ClientAuthentication);
  if (!authentication.known) {
    return [
      {
        ...base,
        unverifiable: {
          property: 'ClientAuthentication',
          reason: `ClientAuthentication is not known before deploy (${authentication.reason})`,
        },
      },
    ];
  }
  let clientAuthentication: ClientAuthenticationFacts | undefined;
  if (authentication.value !== undefined) {
    const switches: Record<string, unknown> = {};
    // `Unauthenticated` that is not a block (`Unauthenticated: true`) cannot be read as a switch: keep it so the
    // decision fails closed instead of reading it as off.
    const unauthenticated = view.locate(authentication.value, 'Unauthenticated');
    if (unauthenticated.known && unauthenticated.value !== undefined && unauthenticated.value !== null) {
      if (typeof unauthenticated.value !== 'object' || Array.isArray(unauthenticated.value))
        switches.Unauthenticated = unauthenticated.value;
    }
    for (const path of SWITCHES) {
      const located = view.locate(authentication.value, ...path);
      // Certificate authorities count only when Tls.Enabled is not set.
      const needed =
        path[1] !== 'CertificateAuthorityArnList' || field(switches, 'Tls', 'Enabled') === undefined;
      if (!located.known && needed) {
        return [
          {
            ...base,
            unverifiable: {
              property: `ClientAuthentication.${path.join('.')}`,
              reason: `ClientAuthentication.${path.join('.')} is not known before deploy (${located.reason})`,
            },
          },
        ];
      }
      if (needed && located.known && Array.isArray(located.value) && located.value.some(isConditional)) {
        return [
          {
            ...base,
            unverifiable: {
              property: `ClientAuthentication.${path.join('.')}`,
              reason: `ClientAuthentication.${path.join('.')} is conditional (Fn::If), so it is known only at deploy`,
            },
          },
        ];
      }
      if (located.known)
        setPath(
          switches,
          path,
          path[1] === 'CertificateAuthorityArnList' ? authorityNames(located.value) : located.value,
        );
    }
    clientAuthentication = clientAuthenticationFacts(switches);
  }
  const inCluster = view.locate(resource.properties.EncryptionInfo, 'EncryptionInTransit', 'InCluster');
  const publicAccess = view.locate(
    resource.properties.BrokerNodeGroupInfo,
    'ConnectivityInfo',
    'PublicAccess',
    'Type',
  );
  return [
    {
      ...base,
      facts: {
        name: resourceName,
        arn: undefined,
        clusterType: 'PROVISIONED',
        clientAuthentication,
        inClusterEncryption: inCluster.known ? flag(inCluster.value) : undefined,
        publicAccess: publicAccess.known && isPublic(publicAccess.value),
        region: undefined,
      },
    },
  ];
}

function isConditional(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'Fn::If' in value;
}

/**
 * Certificate authorities as names: a literal ARN, or an intrinsic (`!Ref`, `!GetAtt`…) that names one at deploy.
 * `!Ref AWS::NoValue` names none.
 */
function authorityNames(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item) || Object.keys(item).length !== 1)
      return item;
    return (item as { Ref?: unknown }).Ref === 'AWS::NoValue' || isConditional(item)
      ? undefined
      : '(set at deploy)';
  });
}

/** The parts of `ClientAuthentication` the decision reads. */
const SWITCHES: readonly (readonly string[])[] = [
  ['Unauthenticated', 'Enabled'],
  ['Sasl', 'Iam', 'Enabled'],
  ['Sasl', 'Scram', 'Enabled'],
  ['Tls', 'Enabled'],
  ['Tls', 'CertificateAuthorityArnList'],
];

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (value === undefined) return;
  let node = target;
  for (const key of path.slice(0, -1)) {
    node = (node[key] ??= {}) as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

export const clusterTemplate: TemplateAdapter<ClusterFacts> = {
  resourceTypes: ['AWS::MSK::Cluster'],
  property: 'ClientAuthentication',
  read,
  fix: (facts) =>
    `set ClientAuthentication.Sasl.Iam.Enabled (or Scram / Tls) to true and ClientAuthentication.Unauthenticated.Enabled to false, with EncryptionInfo.EncryptionInTransit.ClientBroker TLS${facts.inClusterEncryption === false ? '; InCluster must be true, which replaces the cluster' : ''}`,
};
