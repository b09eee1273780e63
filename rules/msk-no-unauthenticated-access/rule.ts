/**
 * MSK.6: no provisioned MSK cluster accepts unauthenticated clients.
 *
 * A cluster with no client authentication configured accepts anyone, as does one that enabled IAM/SCRAM/TLS but
 * left unauthenticated access on beside them.
 */
import { KafkaClient } from '@aws-sdk/client-kafka';
import { field, flag, list, text } from '../core/facts';
import type { NoParameters } from '../core/parameters';
import type { ConfigurationItem, RemediationTarget, RuleDefinition, Verdict } from '../core/types';
import { sweepClusters } from './sweep';
import { clusterTemplate } from './template';

export interface ClientAuthenticationFacts {
  /** `Unauthenticated.Enabled`; undefined when not set (off), 'unreadable' when set to something that is not a switch. */
  readonly unauthenticated: boolean | undefined | 'unreadable';
  readonly iam: boolean;
  readonly scram: boolean;
  readonly tls: boolean;
}

export interface ClusterFacts {
  readonly name: string;
  readonly arn: string | undefined;
  /** `PROVISIONED`, `SERVERLESS`, or undefined (a provisioned-shape CI). */
  readonly clusterType: string | undefined;
  /** Undefined when the cluster has no client authentication block at all. */
  readonly clientAuthentication: ClientAuthenticationFacts | undefined;
  /** Broker-to-broker encryption; authentication cannot be turned on in place without it. */
  readonly inClusterEncryption: boolean | undefined;
  readonly publicAccess: boolean;
  readonly region: string | undefined;
}

function enabledMechanisms(auth: ClientAuthenticationFacts): string[] {
  return [
    auth.iam ? 'IAM' : undefined,
    auth.scram ? 'SASL/SCRAM' : undefined,
    auth.tls ? 'mutual TLS' : undefined,
  ].filter((name): name is string => name !== undefined);
}

export function evaluateCluster(facts: ClusterFacts): Verdict {
  const cluster = `MSK cluster "${facts.name}"`;
  if (facts.clusterType === 'SERVERLESS') {
    return {
      compliance: 'NOT_APPLICABLE',
      annotation: `${cluster} is serverless: it accepts IAM-authenticated clients only.`,
    };
  }
  // Without in-cluster encryption no authentication mechanism can be turned on in place: that is the next step then.
  const inPlaceImpossible = facts.inClusterEncryption === false;
  const enable = inPlaceImpossible
    ? 'In-cluster encryption is off, so authentication cannot be enabled in place: recreate the cluster with it on.'
    : 'Enable IAM, SASL/SCRAM or mutual TLS.';
  const auth = facts.clientAuthentication;
  if (auth === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${cluster} has no client authentication, so it accepts any client. ${enable}`,
    };
  }
  const mechanisms = enabledMechanisms(auth);
  if (auth.unauthenticated === 'unreadable') {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${cluster}: whether unauthenticated access is on could not be read (ClientAuthentication.Unauthenticated); authentication not verified. Set Unauthenticated.Enabled to false.`,
    };
  }
  if (auth.unauthenticated === true) {
    if (mechanisms.length > 0) {
      const recreate = inPlaceImpossible ? ` ${enable}` : '';
      return {
        compliance: 'NON_COMPLIANT',
        annotation: `${cluster} allows unauthenticated clients beside ${mechanisms.join(', ')}: supplemented but not removed. Disable unauthenticated access.${recreate}`,
      };
    }
    const then = inPlaceImpossible ? '' : ' Then disable unauthenticated access.';
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${cluster} allows unauthenticated clients. ${enable}${then}`,
    };
  }
  if (mechanisms.length === 0) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${cluster} enables no authentication mechanism, so it accepts any client. ${enable}`,
    };
  }
  return {
    compliance: 'COMPLIANT',
    annotation: `${cluster} requires client authentication (${mechanisms.join(', ')}).`,
  };
}

/** `Unauthenticated` absent or without `Enabled` is off; a value that is not a switch cannot be read (fail closed). */
function unauthenticatedSwitch(value: unknown): ClientAuthenticationFacts['unauthenticated'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return 'unreadable';
  const enabled = field(value, 'Enabled');
  if (enabled === undefined || enabled === null) return undefined;
  return flag(enabled) ?? 'unreadable';
}

/** `ClientAuthentication` as both the CI and the Kafka API write it (same PascalCase names). */
export function clientAuthenticationFacts(value: unknown): ClientAuthenticationFacts | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tlsSwitch = field(value, 'Tls', 'Enabled');
  const authorities = list(field(value, 'Tls', 'CertificateAuthorityArnList'));
  return {
    unauthenticated: unauthenticatedSwitch(field(value, 'Unauthenticated')),
    iam: flag(field(value, 'Sasl', 'Iam', 'Enabled')) === true,
    scram: flag(field(value, 'Sasl', 'Scram', 'Enabled')) === true,
    // Older clusters list certificate authorities without an Enabled flag: only then the list counts, and only a
    // named authority in it. An Enabled that is not a switch does not count.
    tls:
      tlsSwitch === undefined || tlsSwitch === null
        ? (authorities ?? []).some((arn) => text(arn) !== undefined)
        : flag(tlsSwitch) === true,
  };
}

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

export const isPublic = (type: unknown): boolean => type === 'SERVICE_PROVIDED_EIPS';

export function clusterRemediation(facts: ClusterFacts): string {
  const arn = facts.arn ?? '<cluster-arn>';
  const region = facts.region === undefined ? '' : ` --region ${facts.region}`;
  return (
    `aws kafka update-security${region} --cluster-arn ${arn} ` +
    `--current-version $(aws kafka describe-cluster-v2${region} --cluster-arn ${arn} --query ClusterInfo.CurrentVersion --output text) ` +
    `--client-authentication '{"Sasl":{"Iam":{"Enabled":true}},"Unauthenticated":{"Enabled":false}}' ` +
    `--encryption-info '{"EncryptionInTransit":{"ClientBroker":"TLS"}}'`
  );
}

/** The fix from the cluster ARN (Config's resource id for AWS::MSK::Cluster). */
export function clusterRemediationHint(target: RemediationTarget): string {
  const arn = target.resourceId.startsWith('arn:') ? target.resourceId : '<cluster-arn>';
  return clusterRemediation({
    name: target.resourceId,
    arn,
    clusterType: undefined,
    clientAuthentication: undefined,
    inClusterEncryption: undefined,
    publicAccess: false,
    region: target.region,
  });
}

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
  sweep: sweepClusters,
};
