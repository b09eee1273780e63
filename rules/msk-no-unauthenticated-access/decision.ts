/** The cluster decision and its fixes: pure, over ClusterFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import type { ClientAuthenticationFacts, ClusterFacts } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const CLUSTER_CODES = [
  'msk-serverless',
  'msk-authentication-none',
  'msk-unauthenticated-unreadable',
  'msk-unauthenticated-enabled',
  'msk-unauthenticated-only',
  'msk-mechanism-none',
  'msk-authentication-required',
] as const;
export type ClusterCode = (typeof CLUSTER_CODES)[number];

function enabledMechanisms(auth: ClientAuthenticationFacts): string[] {
  return [
    auth.iam ? 'IAM' : undefined,
    auth.scram ? 'SASL/SCRAM' : undefined,
    auth.tls ? 'mutual TLS' : undefined,
  ].filter((name): name is string => name !== undefined);
}

export function evaluateCluster(facts: ClusterFacts): Verdict<ClusterCode> {
  const cluster = `MSK cluster "${facts.name}"`;
  if (facts.clusterType === 'SERVERLESS') {
    return {
      compliance: 'NOT_APPLICABLE',
      code: 'msk-serverless',
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
      code: 'msk-authentication-none',
      annotation: `${cluster} has no client authentication, so it accepts any client. ${enable}`,
    };
  }
  const mechanisms = enabledMechanisms(auth);
  if (auth.unauthenticated === 'unreadable') {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'msk-unauthenticated-unreadable',
      annotation: `${cluster}: whether unauthenticated access is on could not be read (ClientAuthentication.Unauthenticated); authentication not verified. Set Unauthenticated.Enabled to false.`,
    };
  }
  if (auth.unauthenticated === true) {
    if (mechanisms.length > 0) {
      const recreate = inPlaceImpossible ? ` ${enable}` : '';
      return {
        compliance: 'NON_COMPLIANT',
        code: 'msk-unauthenticated-enabled',
        annotation: `${cluster} allows unauthenticated clients beside ${mechanisms.join(', ')}: supplemented but not removed. Disable unauthenticated access.${recreate}`,
      };
    }
    const then = inPlaceImpossible ? '' : ' Then disable unauthenticated access.';
    return {
      compliance: 'NON_COMPLIANT',
      code: 'msk-unauthenticated-only',
      annotation: `${cluster} allows unauthenticated clients. ${enable}${then}`,
    };
  }
  if (mechanisms.length === 0) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'msk-mechanism-none',
      annotation: `${cluster} enables no authentication mechanism, so it accepts any client. ${enable}`,
    };
  }
  return {
    compliance: 'COMPLIANT',
    code: 'msk-authentication-required',
    annotation: `${cluster} requires client authentication (${mechanisms.join(', ')}).`,
  };
}

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
