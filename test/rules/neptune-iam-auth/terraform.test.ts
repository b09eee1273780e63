import { neptuneIamAuth as rule } from '../../../rules/neptune-iam-auth/rule';
import { planTable, type PlannedResource } from '../../helpers/plans';
import { UNVERIFIABLE } from '../../helpers/templates';

/** An `aws_neptune_cluster` as hashicorp/aws 5.100.0 plans a new one (engine defaulted to neptune). */
const cluster = (after: Record<string, unknown>, unknown: Record<string, unknown> = {}): PlannedResource => ({
  address: 'aws_neptune_cluster.graph',
  after: {
    cluster_identifier: 'graph',
    engine: 'neptune',
    iam_database_authentication_enabled: null,
    tags: null,
    ...after,
  },
  unknown: { arn: true, id: true, endpoint: true, tags_all: true, ...unknown },
});

describe('Neptune.7 terraform adapter', () => {
  planTable(rule, [
    {
      title: 'iam_database_authentication_enabled = true → COMPLIANT',
      resources: [cluster({ iam_database_authentication_enabled: true })],
      resourceId: 'aws_neptune_cluster.graph',
      compliance: 'COMPLIANT',
      annotation: /^Neptune cluster "graph" requires IAM database authentication/,
    },
    {
      title: 'left out: the provider sends nothing and the cluster is created with IAM auth off',
      resources: [cluster({})],
      resourceId: 'aws_neptune_cluster.graph',
      compliance: 'NON_COMPLIANT',
      annotation: /\(not set: off by default\)/,
    },
    {
      title: 'false → NON_COMPLIANT, with the Terraform fix',
      resources: [cluster({ iam_database_authentication_enabled: false })],
      resourceId: 'aws_neptune_cluster.graph',
      compliance: 'NON_COMPLIANT',
      annotation: /does not require IAM database authentication: Neptune has no passwords/,
      also: (finding) => {
        if (finding.remediation === null) throw new Error('no remediation');
        if (!finding.remediation.includes('set iam_database_authentication_enabled = true'))
          throw new Error(finding.remediation);
      },
    },
    {
      title: 'known only after apply → cannot be verified',
      resources: [cluster({}, { iam_database_authentication_enabled: true })],
      resourceId: 'aws_neptune_cluster.graph',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'a cluster_identifier known only after apply names the cluster by its address',
      resources: [
        cluster(
          { cluster_identifier: null, iam_database_authentication_enabled: true },
          { cluster_identifier: true },
        ),
      ],
      resourceId: 'aws_neptune_cluster.graph',
      compliance: 'COMPLIANT',
      annotation: /^Neptune cluster "aws_neptune_cluster\.graph" requires/,
    },
    {
      title: 'an exception tag on the cluster exempts it',
      resources: [
        cluster({ tags: { 'authn-exception/Neptune.7': 'graph explorer in an isolated lab VPC, no data' } }),
      ],
      resourceId: 'aws_neptune_cluster.graph',
      compliance: 'COMPLIANT',
      annotation: /^Exception: graph explorer in an isolated lab VPC/,
    },
  ]);
});
