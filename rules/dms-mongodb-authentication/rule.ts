/**
 * DMS.11: MongoDB endpoints use authentication.
 *
 * Source and target endpoints alike. Only the engine and the auth settings are read: never the password,
 * user name or any other field that could carry a secret.
 */
import type { DatabaseMigrationServiceClient } from '@aws-sdk/client-database-migration-service';
import type { NoParameters } from '../core/parameters';
import type { RuleDefinition } from '../core/types';
import { endpointFromConfigurationItem } from './config-item';
import { ENDPOINT_CODES, endpointRemediation, endpointRemediationHint, evaluateEndpoint } from './decision';
import type { EndpointFacts } from './facts';
import { endpointTemplate } from './template';
import { endpointTerraform } from './terraform';

// The SDK client and the sweep load on first use, not with the registry: `authn-pack --help`, `check-template` and
// the CDK plugin never call AWS, and loading every rule's client took most of their start (BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = (): typeof import('@aws-sdk/client-database-migration-service') =>
  require('@aws-sdk/client-database-migration-service') as typeof import('@aws-sdk/client-database-migration-service');
const sweeps = (): typeof import('./sweep') => require('./sweep') as typeof import('./sweep');
/* eslint-enable @typescript-eslint/no-require-imports */

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
    sdkPackage: '@aws-sdk/client-database-migration-service',
    createClient: (settings) => new (sdk().DatabaseMigrationServiceClient)(settings),
    iamActions: ['dms:DescribeEndpoints', 'dms:ListTagsForResource'],
  },
  evaluate: evaluateEndpoint,
  codes: ENDPOINT_CODES,
  remediation: endpointRemediation,
  remediationHint: endpointRemediationHint,
  fromConfigurationItem: endpointFromConfigurationItem,
  sweep: (client, context) => sweeps().sweepEndpoints(client, context),
  template: endpointTemplate,
  terraform: endpointTerraform,
};
