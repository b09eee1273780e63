/** CloudFormation → endpoint facts (`AWS::DMS::Endpoint`). Only engine and auth settings are read, never secrets. */
import type { TemplateEvaluation, TemplateResource, TemplateView } from '../core/template';
import type { TemplateAdapter } from '../core/types';
import type { EndpointFacts } from './facts';

function read(resource: TemplateResource, view: TemplateView): TemplateEvaluation<EndpointFacts>[] {
  const properties = resource.properties;
  const base = view.subject(resource, 'EndpointIdentifier');
  const resourceName = base.resourceName;
  const engine = view.text(properties.EngineName, 'EngineName');
  if (!engine.known) return [{ ...base, unverifiable: { property: engine.property, reason: engine.reason } }];
  const isMongo = engine.value?.toLowerCase() === 'mongodb';
  const authType = view.textAt(properties.MongoDbSettings, ['AuthType'], 'MongoDbSettings.AuthType');
  if (isMongo && !authType.known)
    return [{ ...base, unverifiable: { property: authType.property, reason: authType.reason } }];
  const mechanism = view.textAt(
    properties.MongoDbSettings,
    ['AuthMechanism'],
    'MongoDbSettings.AuthMechanism',
  );
  const endpointType = view.text(properties.EndpointType, 'EndpointType');
  return [
    {
      ...base,
      facts: {
        identifier: resourceName,
        arn: undefined,
        engineName: engine.value,
        endpointType: endpointType.known ? endpointType.value?.toLowerCase() : undefined,
        authType: authType.known ? authType.value : undefined,
        authMechanism: mechanism.known ? mechanism.value : undefined,
        region: undefined,
      },
    },
  ];
}

export const endpointTemplate: TemplateAdapter<EndpointFacts> = {
  resourceTypes: ['AWS::DMS::Endpoint'],
  property: 'MongoDbSettings.AuthType',
  read,
  fix: () =>
    'set MongoDbSettings.AuthType: password, AuthMechanism: scram_sha_1, AuthSource: admin, with SecretsManagerSecretId and SecretsManagerAccessRoleArn (never a literal Password)',
};
