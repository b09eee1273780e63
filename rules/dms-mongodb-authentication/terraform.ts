/**
 * Terraform → endpoint facts (`aws_dms_endpoint`). Only the engine and the `mongodb_settings` auth fields are read;
 * `password` is sensitive and never read. The provider spells mechanisms with hyphens (`scram-sha-1`, `mongodb-cr`)
 * where the DMS API uses underscores; its default `auth_type` is `password` (plans write it).
 */
import type { TemplateEvaluation } from '../core/template';
import type { PlanResource, PlanView } from '../core/terraform';
import type { TerraformAdapter } from '../core/types';
import type { EndpointFacts } from './facts';

function read(resource: PlanResource, plan: PlanView): TemplateEvaluation<EndpointFacts>[] {
  const base = plan.subject(resource);
  const engine = plan.text(resource, 'engine_name');
  if (!engine.known) return [{ ...base, unverifiable: { property: engine.property, reason: engine.reason } }];
  const isMongo = engine.value?.toLowerCase() === 'mongodb';
  const settings = plan.count(resource, 'mongodb_settings');
  if (isMongo && !settings.known)
    return [{ ...base, unverifiable: { property: settings.property, reason: settings.reason } }];
  const hasSettings = settings.known && settings.count > 0;
  const authType = hasSettings ? plan.text(resource, 'mongodb_settings', 0, 'auth_type') : undefined;
  if (isMongo && authType !== undefined && !authType.known)
    return [{ ...base, unverifiable: { property: authType.property, reason: authType.reason } }];
  const mechanism = hasSettings ? plan.text(resource, 'mongodb_settings', 0, 'auth_mechanism') : undefined;
  const identifier = plan.text(resource, 'endpoint_id');
  const arn = plan.text(resource, 'endpoint_arn');
  const endpointType = plan.text(resource, 'endpoint_type');
  return [
    {
      ...base,
      facts: {
        identifier: identifier.known && identifier.value !== undefined ? identifier.value : resource.address,
        arn: arn.known ? arn.value : undefined,
        engineName: engine.value,
        endpointType: endpointType.known ? endpointType.value?.toLowerCase() : undefined,
        authType: authType?.known === true ? authType.value : undefined,
        authMechanism: mechanism?.known === true ? mechanism.value?.replace(/-/g, '_') : undefined,
        region: undefined,
      },
    },
  ];
}

export const endpointTerraform: TerraformAdapter<EndpointFacts> = {
  resourceTypes: ['aws_dms_endpoint'],
  read,
  fix: () =>
    'set mongodb_settings { auth_type = "password", auth_mechanism = "scram-sha-1", auth_source = "admin" } with secrets_manager_arn and secrets_manager_access_role_arn (never a literal password)',
};
