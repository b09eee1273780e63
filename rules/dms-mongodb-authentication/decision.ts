/** The endpoint decision and its fixes: pure, over EndpointFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import type { EndpointFacts } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const ENDPOINT_CODES = [
  'dms-engine-unreadable',
  'dms-not-mongodb',
  'dms-auth-unset',
  'dms-auth-none',
  'dms-auth-unrecognised',
  'dms-auth-legacy-mongodb-cr',
  'dms-auth-password',
] as const;
export type EndpointCode = (typeof ENDPOINT_CODES)[number];

export function evaluateEndpoint(facts: EndpointFacts): Verdict<EndpointCode> {
  const endpoint = `DMS ${facts.endpointType ?? ''} endpoint "${facts.identifier}"`.replace('  ', ' ');
  if (facts.engineName === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'dms-engine-unreadable',
      annotation: `${endpoint}: engine could not be read, so MongoDB authentication cannot be ruled out. Inspect it with describe-endpoints.`,
    };
  }
  if (facts.engineName.toLowerCase() !== 'mongodb') {
    return {
      compliance: 'NOT_APPLICABLE',
      code: 'dms-not-mongodb',
      annotation: `${endpoint} uses ${facts.engineName}, not MongoDB.`,
    };
  }
  const authType = facts.authType?.toLowerCase();
  if (authType === undefined) {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'dms-auth-unset',
      annotation: `${endpoint}: MongoDB authentication type not set. Set AuthType=password with AuthMechanism=scram_sha_1.`,
    };
  }
  if (authType === 'no') {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'dms-auth-none',
      annotation: `${endpoint} connects to MongoDB without authentication (AuthType=no). Set AuthType=password with AuthMechanism=scram_sha_1 and a Secrets Manager secret.`,
    };
  }
  if (authType !== 'password') {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'dms-auth-unrecognised',
      annotation: `${endpoint} has an unrecognised MongoDB AuthType "${facts.authType?.slice(0, 20) ?? ''}"; authentication not verified. Set AuthType=password.`,
    };
  }
  if (facts.authMechanism?.toLowerCase() === 'mongodb_cr') {
    return {
      compliance: 'COMPLIANT',
      code: 'dms-auth-legacy-mongodb-cr',
      annotation: `${endpoint} authenticates with MONGODB-CR, a legacy MongoDB 2.x mechanism: switch AuthMechanism to scram_sha_1.`,
    };
  }
  return {
    compliance: 'COMPLIANT',
    code: 'dms-auth-password',
    annotation: `${endpoint} authenticates to MongoDB with a password.`,
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
