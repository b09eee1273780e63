import { expect } from 'chai';
import { mskNoUnauthenticatedAccess as rule } from '../../../rules/msk-no-unauthenticated-access/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';

const cluster = (after: Record<string, unknown>, unknown: Record<string, unknown> = {}): PlannedResource => ({
  address: 'aws_msk_cluster.clicks',
  after: {
    cluster_name: 'clicks',
    client_authentication: [],
    encryption_info: [],
    broker_node_group_info: [],
    ...after,
  },
  unknown: { arn: true, id: true, ...unknown },
});

describe('MSK.6 terraform adapter', () => {
  planTable(rule, [
    {
      title:
        'mutual TLS with certificate authorities → COMPLIANT (the provider enables Tls when it lists any)',
      resources: [
        cluster({
          client_authentication: [
            {
              unauthenticated: false,
              sasl: [],
              tls: [
                {
                  certificate_authority_arns: [
                    'arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x',
                  ],
                },
              ],
            },
          ],
        }),
      ],
      resourceId: 'aws_msk_cluster.clicks',
      compliance: 'COMPLIANT',
      annotation: /requires client authentication \(mutual TLS\)/,
    },
    {
      title: 'certificate authorities created in the same plan (ARNs known at apply) still count',
      resources: [
        cluster(
          { client_authentication: [{ sasl: [], tls: [{}] }] },
          { client_authentication: [{ tls: [{ certificate_authority_arns: true }] }] },
        ),
      ],
      resourceId: 'aws_msk_cluster.clicks',
      compliance: 'COMPLIANT',
      annotation: /mutual TLS/,
    },
    {
      title: 'an empty tls block enables nothing (the provider sends Tls.Enabled false) → NON_COMPLIANT',
      resources: [
        cluster({ client_authentication: [{ sasl: [], tls: [{ certificate_authority_arns: [] }] }] }),
      ],
      resourceId: 'aws_msk_cluster.clicks',
      compliance: 'NON_COMPLIANT',
      annotation: /enables no authentication mechanism/,
    },
    {
      title: 'unauthenticated known only after apply cannot be verified',
      resources: [
        cluster(
          { client_authentication: [{ sasl: [], tls: [] }] },
          { client_authentication: [{ unauthenticated: true }] },
        ),
      ],
      resourceId: 'aws_msk_cluster.clicks',
      compliance: 'NON_COMPLIANT',
      annotation:
        /cannot be verified before deploy: client_authentication\[0\]\.unauthenticated is known only after apply/,
    },
    {
      title: 'in-cluster encryption off: the annotation says the cluster must be recreated',
      resources: [
        cluster({
          encryption_info: [{ encryption_in_transit: [{ client_broker: 'PLAINTEXT', in_cluster: false }] }],
        }),
      ],
      resourceId: 'aws_msk_cluster.clicks',
      compliance: 'NON_COMPLIANT',
      annotation: /recreate the cluster/,
    },
    {
      title: 'public access is ranked internet-facing',
      resources: [
        cluster({
          client_authentication: [{ unauthenticated: true, sasl: [], tls: [] }],
          broker_node_group_info: [
            { connectivity_info: [{ public_access: [{ type: 'SERVICE_PROVIDED_EIPS' }] }] },
          ],
        }),
      ],
      resourceId: 'aws_msk_cluster.clicks',
      compliance: 'NON_COMPLIANT',
      annotation: /allows unauthenticated clients/,
      also: (finding) => expect(finding.internetFacing).to.equal(true),
    },
  ]);
});
