import { expect } from 'chai';
import { dmsMongodbAuthentication as rule } from '../../../rules/dms-mongodb-authentication/rule';
import { UNVERIFIABLE, checkSnippet, templateTable } from '../../helpers/templates';

/** A DMS endpoint `catalog-source` with the given properties. */
function endpoint(properties: string, type = 'source'): string {
  return `
Parameters:
  AuthNo: {Type: String, Default: 'no'}
  AuthPassword: {Type: String, Default: password}
  NoDefault: {Type: String}
Resources:
  CatalogSecret:
    Type: AWS::SecretsManager::Secret
  CatalogSource:
    Type: AWS::DMS::Endpoint
    Properties:
      EndpointIdentifier: catalog-source
      EndpointType: ${type}
      ServerName: mongo.catalog.internal
      Port: 27017
${properties}
`;
}

describe('DMS.11 template adapter', () => {
  describe('engine and authentication type', () => {
    templateTable(rule, [
      {
        title: 'MongoDB with AuthType password and scram_sha_1 → COMPLIANT',
        template: endpoint(
          '      EngineName: mongodb\n      MongoDbSettings:\n        AuthType: password\n        AuthMechanism: scram_sha_1\n        SecretsManagerSecretId: !Ref CatalogSecret',
        ),
        resourceId: 'CatalogSource',
        compliance: 'COMPLIANT',
        annotation: /^DMS source endpoint "catalog-source" authenticates to MongoDB with a password\.$/,
        also: (finding) => {
          expect(finding.resourceType).to.equal('AWS::DMS::Endpoint');
          expect(finding.resourceName).to.equal('catalog-source');
        },
      },
      {
        title: 'MongoDB with AuthType no → NON_COMPLIANT',
        template: endpoint('      EngineName: mongodb\n      MongoDbSettings:\n        AuthType: "no"'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation: /connects to MongoDB without authentication \(AuthType=no\)/,
        also: (finding) =>
          expect(finding.remediation).to.match(
            /^CatalogSource in stack\.yaml: set MongoDbSettings\.AuthType: password, AuthMechanism: scram_sha_1/,
          ),
      },
      {
        title: 'MongoDB without AuthType → NON_COMPLIANT, authentication type not set',
        template: endpoint('      EngineName: mongodb\n      MongoDbSettings:\n        NestingLevel: none'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation: /MongoDB authentication type not set/,
      },
      {
        title: 'MongoDB without MongoDbSettings → NON_COMPLIANT, authentication type not set',
        template: endpoint('      EngineName: mongodb'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation: /MongoDB authentication type not set/,
      },
      {
        title: 'the legacy mongodb_cr mechanism → COMPLIANT, recommending scram_sha_1',
        template: endpoint(
          '      EngineName: mongodb\n      MongoDbSettings: {AuthType: password, AuthMechanism: mongodb_cr}',
        ),
        resourceId: 'CatalogSource',
        compliance: 'COMPLIANT',
        annotation: /MONGODB-CR, a legacy MongoDB 2\.x mechanism: switch AuthMechanism to scram_sha_1/,
      },
      {
        title: "AuthType from a parameter whose Default is 'no' → NON_COMPLIANT",
        template: endpoint('      EngineName: mongodb\n      MongoDbSettings: {AuthType: !Ref AuthNo}'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation: /AuthType=no/,
      },
      {
        title: 'AuthType from a parameter whose Default is password → COMPLIANT',
        template: endpoint('      EngineName: mongodb\n      MongoDbSettings: {AuthType: !Ref AuthPassword}'),
        resourceId: 'CatalogSource',
        compliance: 'COMPLIANT',
        annotation: /with a password/,
      },
      {
        title: 'AuthType from a parameter without Default → NON_COMPLIANT, cannot be verified before deploy',
        template: endpoint('      EngineName: mongodb\n      MongoDbSettings: {AuthType: !Ref NoDefault}'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^catalog-source cannot be verified before deploy: MongoDbSettings\.AuthType is not known before deploy \(parameter NoDefault has no Default\)/,
      },
      {
        title: 'MongoDbSettings behind !If → NON_COMPLIANT, cannot be verified (not "not set")',
        template: endpoint(
          "      EngineName: mongodb\n      MongoDbSettings: !If [IsProd, {AuthType: password}, {AuthType: 'no'}]",
        ),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: MongoDbSettings\.AuthType is not known before deploy \(Fn::If/,
      },
      {
        title:
          'EngineName from a parameter without Default → NON_COMPLIANT, cannot be verified before deploy',
        template: endpoint('      EngineName: !Ref NoDefault'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation: /cannot be verified before deploy: EngineName is not known before deploy/,
      },
      {
        title: 'a PostgreSQL endpoint → NOT_APPLICABLE',
        template: endpoint('      EngineName: postgres\n      DatabaseName: catalog'),
        resourceId: 'CatalogSource',
        compliance: 'NOT_APPLICABLE',
        annotation: /uses postgres, not MongoDB/,
      },
      {
        title: 'a DocumentDB endpoint → NOT_APPLICABLE, whatever its MongoDB-style settings say',
        template: endpoint(
          '      EngineName: docdb\n      DocDbSettings: {NestingLevel: none}\n      MongoDbSettings: {AuthType: !Ref NoDefault}',
        ),
        resourceId: 'CatalogSource',
        compliance: 'NOT_APPLICABLE',
        annotation: /uses docdb, not MongoDB/,
      },
      {
        title: 'a target endpoint is judged the same and said to be one',
        template: endpoint('      EngineName: mongodb\n      MongoDbSettings: {AuthType: "no"}', 'target'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation: /^DMS target endpoint "catalog-source" connects to MongoDB without authentication/,
      },
    ]);

    it('never copies the password into a finding', () => {
      // Prepare
      const template = endpoint(
        '      EngineName: mongodb\n      Username: catalog\n      Password: hunter2-do-not-leak\n      MongoDbSettings: {AuthType: "no"}',
      );
      // Act
      const { findings } = checkSnippet(rule, template);
      // Assess
      expect(findings).to.have.length(1);
      expect(JSON.stringify(findings)).to.not.include('hunter2-do-not-leak');
    });
  });

  describe('exceptions in Tags (list shape)', () => {
    templateTable(rule, [
      {
        title: 'a valid exception → COMPLIANT',
        template: endpoint(
          "      EngineName: mongodb\n      MongoDbSettings: {AuthType: 'no'}\n      Tags:\n        - Key: authn-exception/DMS.11\n          Value: one-off migration of public reference data",
        ),
        resourceId: 'CatalogSource',
        compliance: 'COMPLIANT',
        annotation: /^Exception: one-off migration of public reference data \(no expiry\)$/,
      },
      {
        title: 'an exception covers an endpoint that cannot be verified before deploy',
        template: endpoint(
          '      EngineName: mongodb\n      MongoDbSettings: {AuthType: !Ref NoDefault}\n      Tags:\n        - Key: authn-exception/DMS.11\n          Value: auth type set per environment by the pipeline',
        ),
        resourceId: 'CatalogSource',
        compliance: 'COMPLIANT',
        annotation: /^Exception: auth type set per environment/,
      },
      {
        title: 'without it, that endpoint is NON_COMPLIANT',
        template: endpoint('      EngineName: mongodb\n      MongoDbSettings: {AuthType: !Ref NoDefault}'),
        resourceId: 'CatalogSource',
        compliance: 'NON_COMPLIANT',
        annotation: UNVERIFIABLE,
      },
    ]);
  });
});
