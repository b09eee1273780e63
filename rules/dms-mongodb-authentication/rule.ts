/**
 * DMS.11: MongoDB endpoints use authentication.
 *
 * Source and target endpoints alike. Only the engine and the auth settings are read: never the password,
 * user name or any other field that could carry a secret.
 */
import { DatabaseMigrationServiceClient } from '@aws-sdk/client-database-migration-service';
import { field, text } from '../core/facts';
import type { NoParameters } from '../core/parameters';
import type { ConfigurationItem, RemediationTarget, RuleDefinition, Verdict } from '../core/types';
import { sweepEndpoints } from './sweep';
import { endpointTemplate } from './template';

export interface EndpointFacts {
  readonly identifier: string;
  readonly arn: string | undefined;
  readonly engineName: string | undefined;
  readonly endpointType: string | undefined;
  readonly authType: string | undefined;
  readonly authMechanism: string | undefined;
  readonly region: string | undefined;
}

export function evaluateEndpoint(facts: EndpointFacts): Verdict {
  const endpoint = `DMS ${facts.endpointType ?? ''} endpoint "${facts.identifier}"`.replace('  ', ' ');
  if (facts.engineName === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${endpoint}: engine could not be read, so MongoDB authentication cannot be ruled out. Inspect it with describe-endpoints.`,
    };
  }
  if (facts.engineName.toLowerCase() !== 'mongodb') {
    return { compliance: 'NOT_APPLICABLE', annotation: `${endpoint} uses ${facts.engineName}, not MongoDB.` };
  }
  const authType = facts.authType?.toLowerCase();
  if (authType === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${endpoint}: MongoDB authentication type not set. Set AuthType=password with AuthMechanism=scram_sha_1.`,
    };
  }
  if (authType === 'no') {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${endpoint} connects to MongoDB without authentication (AuthType=no). Set AuthType=password with AuthMechanism=scram_sha_1 and a Secrets Manager secret.`,
    };
  }
  if (authType !== 'password') {
    return {
      compliance: 'NON_COMPLIANT',
      annotation: `${endpoint} has an unrecognised MongoDB AuthType "${facts.authType?.slice(0, 20) ?? ''}"; authentication not verified. Set AuthType=password.`,
    };
  }
  if (facts.authMechanism?.toLowerCase() === 'mongodb_cr') {
    return {
      compliance: 'COMPLIANT',
      annotation: `${endpoint} authenticates with MONGODB-CR, a legacy MongoDB 2.x mechanism: switch AuthMechanism to scram_sha_1.`,
    };
  }
  return { compliance: 'COMPLIANT', annotation: `${endpoint} authenticates to MongoDB with a password.` };
}

/** Config CI (CloudFormation names: `MongoDbSettings`) → facts. */
export function endpointFromConfigurationItem(item: ConfigurationItem): EndpointFacts {
  const configuration = item.configuration;
  return {
    identifier: text(field(configuration, 'EndpointIdentifier')) ?? item.resourceName ?? item.resourceId,
    arn: item.ARN ?? text(field(configuration, 'Id')),
    engineName: text(field(configuration, 'EngineName')),
    endpointType: text(field(configuration, 'EndpointType'))?.toLowerCase(),
    authType: text(field(configuration, 'MongoDbSettings', 'AuthType')),
    authMechanism: text(field(configuration, 'MongoDbSettings', 'AuthMechanism')),
    region: item.awsRegion,
  };
}

export function endpointRemediation(facts: EndpointFacts): string {
  const region = facts.region === undefined ? '' : ` --region ${facts.region}`;
  const arn = facts.arn ?? '<endpoint-arn>';
  return (
    `aws dms modify-endpoint${region} --endpoint-arn ${arn} --mongo-db-settings ` +
    'AuthType=password,AuthMechanism=scram_sha_1,AuthSource=admin,SecretsManagerSecretId=<secret-arn>,SecretsManagerAccessRoleArn=<role-arn>' +
    ` && aws dms test-connection${region} --replication-instance-arn <instance-arn> --endpoint-arn ${arn}`
  );
}

/** The fix from the endpoint ARN (Config's resource id for AWS::DMS::Endpoint, or a placeholder when it is not one). */
export function endpointRemediationHint(target: RemediationTarget): string {
  return endpointRemediation({
    identifier: target.resourceId,
    arn: target.resourceId.startsWith('arn:') ? target.resourceId : undefined,
    engineName: 'mongodb',
    endpointType: undefined,
    authType: undefined,
    authMechanism: undefined,
    region: target.region,
  });
}

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
};
