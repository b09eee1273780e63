/**
 * Terraform → cluster facts: `aws_msk_cluster`, and `aws_msk_serverless_cluster` (IAM only, outside MSK.6). The
 * provider sends `client_authentication` as the Kafka API's ClientAuthentication: `unauthenticated` as
 * Unauthenticated.Enabled (left out when unset), `sasl.iam`/`sasl.scram` as their Enabled, and a `tls` block as
 * Tls.Enabled = true exactly when it lists certificate authorities (hashicorp/aws internal/service/kafka/cluster.go,
 * expandClientAuthentication / expandTLS).
 */
import type { TemplateEvaluation } from '../core/template';
import type { PlanResource, PlanUnknown, PlanView } from '../core/terraform';
import type { TerraformAdapter } from '../core/types';
import {
  clientAuthenticationFacts,
  isPublic,
  type ClientAuthenticationFacts,
  type ClusterFacts,
} from './facts';

const CLIENT_AUTHENTICATION = 'client_authentication';

/** A switch of `client_authentication`: true/false/unset, or why it is not known. */
function switchAt(
  resource: PlanResource,
  plan: PlanView,
  path: readonly (string | number)[],
): { known: true; value: unknown } | PlanUnknown {
  const found = plan.value(resource, CLIENT_AUTHENTICATION, 0, ...path);
  return found.known ? { known: true, value: found.value ?? undefined } : found;
}

function clientAuthentication(
  resource: PlanResource,
  plan: PlanView,
): { known: true; value: ClientAuthenticationFacts | undefined } | PlanUnknown {
  const blocks = plan.count(resource, CLIENT_AUTHENTICATION);
  if (!blocks.known) return blocks;
  if (blocks.count === 0) return { known: true, value: undefined };
  const unauthenticated = switchAt(resource, plan, ['unauthenticated']);
  if (!unauthenticated.known) return unauthenticated;
  const iam = switchAt(resource, plan, ['sasl', 0, 'iam']);
  if (!iam.known) return iam;
  const scram = switchAt(resource, plan, ['sasl', 0, 'scram']);
  if (!scram.known) return scram;
  const tlsBlocks = plan.count(resource, CLIENT_AUTHENTICATION, 0, 'tls');
  if (!tlsBlocks.known) return tlsBlocks;
  let authorities = 0;
  if (tlsBlocks.count > 0) {
    // Authorities created in the same plan have ARNs known only at apply: each still counts as one named then.
    const listed = plan.count(resource, CLIENT_AUTHENTICATION, 0, 'tls', 0, 'certificate_authority_arns');
    authorities = listed.known ? listed.count : 1;
  }
  return {
    known: true,
    value: clientAuthenticationFacts({
      ...(unauthenticated.value === undefined ? {} : { Unauthenticated: { Enabled: unauthenticated.value } }),
      Sasl: { Iam: { Enabled: iam.value }, Scram: { Enabled: scram.value } },
      ...(tlsBlocks.count > 0 ? { Tls: { Enabled: authorities > 0 } } : {}),
    }),
  };
}

function read(resource: PlanResource, plan: PlanView): TemplateEvaluation<ClusterFacts>[] {
  const base = plan.subject(resource);
  const name = plan.text(resource, 'cluster_name');
  const arn = plan.text(resource, 'arn');
  const common = {
    name: name.known && name.value !== undefined ? name.value : resource.address,
    arn: arn.known ? arn.value : undefined,
    region: undefined,
  };
  if (resource.type === 'aws_msk_serverless_cluster') {
    return [
      {
        ...base,
        facts: {
          ...common,
          clusterType: 'SERVERLESS',
          clientAuthentication: undefined,
          inClusterEncryption: undefined,
          publicAccess: false,
        },
      },
    ];
  }
  const authentication = clientAuthentication(resource, plan);
  if (!authentication.known)
    return [{ ...base, unverifiable: { property: authentication.property, reason: authentication.reason } }];
  const inCluster = plan.value(resource, 'encryption_info', 0, 'encryption_in_transit', 0, 'in_cluster');
  const publicAccess = plan.value(
    resource,
    'broker_node_group_info',
    0,
    'connectivity_info',
    0,
    'public_access',
    0,
    'type',
  );
  return [
    {
      ...base,
      facts: {
        ...common,
        clusterType: 'PROVISIONED',
        clientAuthentication: authentication.value,
        inClusterEncryption:
          inCluster.known && typeof inCluster.value === 'boolean' ? inCluster.value : undefined,
        publicAccess: publicAccess.known && isPublic(publicAccess.value),
      },
    },
  ];
}

export const clusterTerraform: TerraformAdapter<ClusterFacts> = {
  resourceTypes: ['aws_msk_cluster', 'aws_msk_serverless_cluster'],
  read,
  fix: (facts) =>
    `set client_authentication { sasl { iam = true } } (or scram, or tls with certificate_authority_arns) and unauthenticated = false, with encryption_info { encryption_in_transit { client_broker = "TLS" } }${facts.inClusterEncryption === false ? '; in_cluster must be true, which replaces the cluster' : ''}`,
};
