/**
 * DMS.11: MongoDB endpoints use authentication.
 *
 * Source and target endpoints alike. Only the engine and the auth settings are read: never the password,
 * user name or any other field that could carry a secret.
 */
import { DatabaseMigrationServiceClient } from '@aws-sdk/client-database-migration-service';
import type { NoParameters } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { endpointFromConfigurationItem } from './config-item';
import { endpointRemediation, endpointRemediationHint, evaluateEndpoint } from './decision';
import type { EndpointFacts } from './facts';
import { sweepEndpoints } from './sweep';
import { endpointTemplate } from './template';
import { endpointTerraform } from './terraform';

export const dmsMongodbAuthentication: RuleDefinition<
  EndpointFacts,
  DatabaseMigrationServiceClient,
  NoParameters
> = {
  control: 'DMS.11',
  ruleName: 'authn-dms-mongodb-authentication',
  title: 'DMS endpoints for MongoDB use authentication',
  description: 'Every DMS source or target endpoint for MongoDB authenticates (AuthType password).',
  resourceType: 'AWS::DMS::Endpoint',
  trigger: { kind: 'change' },
  parameters: {},
  service: {
    name: 'database-migration-service',
    createClient: (settings) => new DatabaseMigrationServiceClient(settings),
    iamActions: ['dms:DescribeEndpoints', 'dms:ListTagsForResource'],
  },
  evaluate: evaluateEndpoint,
  remediation: endpointRemediation,
  remediationHint: endpointRemediationHint,
  fromConfigurationItem: endpointFromConfigurationItem,
  sweep: sweepEndpoints,
  template: endpointTemplate,
  terraform: endpointTerraform,
};
