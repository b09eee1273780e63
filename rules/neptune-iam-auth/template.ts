/**
 * CloudFormation → cluster facts (`AWS::Neptune::DBCluster`). `IamAuthEnabled` absent means off, as the API's
 * default; a value known only at deploy is reported as such.
 */
import { flag } from '../core/facts';
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import type { NeptuneClusterFacts } from './facts';

function read(resource: TemplateResource, view: TemplateView): TemplateEvaluation<NeptuneClusterFacts>[] {
  const base = view.subject(resource, 'DBClusterIdentifier');
  const setting = view.locate(resource.properties.IamAuthEnabled);
  if (!setting.known)
    return [
      {
        ...base,
        unverifiable: {
          property: 'IamAuthEnabled',
          reason: `IamAuthEnabled is not known before deploy (${setting.reason})`,
        },
      },
    ];
  const value = setting.value;
  const iamAuth: NeptuneClusterFacts['iamAuth'] =
    value === undefined || value === null ? 'absent' : (flag(value) ?? 'unreadable');
  return [
    {
      ...base,
      facts: {
        identifier: base.resourceName,
        arn: undefined,
        engine: 'neptune',
        iamAuth,
        region: undefined,
      },
    },
  ];
}

export const neptuneClusterTemplate: TemplateAdapter<NeptuneClusterFacts> = {
  resourceTypes: ['AWS::Neptune::DBCluster'],
  property: 'IamAuthEnabled',
  read,
  fix: () =>
    'set IamAuthEnabled: true (and grant clients neptune-db:connect; they must sign requests with SigV4)',
};
