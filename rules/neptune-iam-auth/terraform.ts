/**
 * Terraform → cluster facts (`aws_neptune_cluster`). The provider's `engine` defaults to `neptune` and
 * `iam_database_authentication_enabled` is an optional boolean with no default: left out, the provider does not send
 * it and the cluster is created with IAM authentication off (hashicorp/aws 5.100.0 schema; plans write null).
 */
import type { TemplateEvaluation } from '../core/template';
import type { PlanResource, PlanView } from '../core/terraform';
import type { TerraformAdapter } from '../core/types';
import type { NeptuneClusterFacts } from './facts';

function read(resource: PlanResource, plan: PlanView): TemplateEvaluation<NeptuneClusterFacts>[] {
  const base = plan.subject(resource);
  const setting = plan.value(resource, 'iam_database_authentication_enabled');
  if (!setting.known)
    return [{ ...base, unverifiable: { property: setting.property, reason: setting.reason } }];
  const engine = plan.text(resource, 'engine');
  const identifier = plan.text(resource, 'cluster_identifier');
  const arn = plan.text(resource, 'arn');
  const value = setting.value;
  return [
    {
      ...base,
      facts: {
        identifier: identifier.known && identifier.value !== undefined ? identifier.value : resource.address,
        arn: arn.known ? arn.value : undefined,
        // A known engine, or the provider's default; an engine known only after apply is still Neptune's API.
        engine: engine.known ? (engine.value ?? 'neptune') : 'neptune',
        iamAuth:
          value === null || value === undefined
            ? 'absent'
            : typeof value === 'boolean'
              ? value
              : 'unreadable',
        region: undefined,
      },
    },
  ];
}

export const neptuneClusterTerraform: TerraformAdapter<NeptuneClusterFacts> = {
  resourceTypes: ['aws_neptune_cluster'],
  read,
  fix: () =>
    'set iam_database_authentication_enabled = true (and grant clients neptune-db:connect; they sign requests with SigV4)',
};
