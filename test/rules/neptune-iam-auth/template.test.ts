import { expect } from 'chai';
import { neptuneIamAuth as rule } from '../../../rules/neptune-iam-auth/rule';
import { UNVERIFIABLE, templateTable } from '../../helpers/templates';

/** A Neptune cluster `fraud-graph` with the given extra properties. */
function cluster(properties: string): string {
  return `
Parameters:
  IamOn: {Type: String, Default: 'true'}
  NoDefault: {Type: String}
Resources:
  FraudGraph:
    Type: AWS::Neptune::DBCluster
    Properties:
      DBClusterIdentifier: fraud-graph
      EngineVersion: 1.3.2.1
      StorageEncrypted: true
      Tags: [{Key: owner, Value: risk}]
${properties}
`;
}

describe('Neptune.7 template adapter', () => {
  templateTable(rule, [
    {
      title: 'IamAuthEnabled true → COMPLIANT',
      template: cluster('      IamAuthEnabled: true'),
      resourceId: 'FraudGraph',
      compliance: 'COMPLIANT',
      annotation: /^Neptune cluster "fraud-graph" requires IAM database authentication/,
      also: (finding) => {
        expect(finding.resourceType).to.equal('AWS::RDS::DBCluster');
        expect(finding.resourceName).to.equal('fraud-graph');
      },
    },
    {
      title: 'IamAuthEnabled absent → NON_COMPLIANT (off by default), with the template fix',
      template: cluster(''),
      resourceId: 'FraudGraph',
      compliance: 'NON_COMPLIANT',
      annotation: /does not require IAM database authentication \(not set: off by default\)/,
      also: (finding) =>
        expect(finding.remediation).to.match(/FraudGraph in stack\.yaml: set IamAuthEnabled: true/),
    },
    {
      title: 'IamAuthEnabled false → NON_COMPLIANT',
      template: cluster('      IamAuthEnabled: false'),
      resourceId: 'FraudGraph',
      compliance: 'NON_COMPLIANT',
      annotation:
        /^Neptune cluster "fraud-graph" does not require IAM database authentication: Neptune has no passwords/,
    },
    {
      title: 'IamAuthEnabled through a parameter Default "true" → COMPLIANT',
      template: cluster('      IamAuthEnabled: !Ref IamOn'),
      resourceId: 'FraudGraph',
      compliance: 'COMPLIANT',
      annotation: /requires IAM database authentication/,
    },
    {
      title: 'IamAuthEnabled from a parameter without Default → NON_COMPLIANT, cannot be verified',
      template: cluster('      IamAuthEnabled: !Ref NoDefault'),
      resourceId: 'FraudGraph',
      compliance: 'NON_COMPLIANT',
      annotation: UNVERIFIABLE,
    },
    {
      title: 'IamAuthEnabled that is not a boolean → NON_COMPLIANT (unreadable)',
      template: cluster('      IamAuthEnabled: [true]'),
      resourceId: 'FraudGraph',
      compliance: 'NON_COMPLIANT',
      annotation: /could not be read/,
    },
    {
      title: 'an exception tag on the cluster → COMPLIANT "Exception: …"',
      template: cluster(
        "      IamAuthEnabled: false\n      Tags:\n        - {Key: authn-exception/Neptune.7, Value: 'read-only copy of public open data'}",
      ),
      resourceId: 'FraudGraph',
      compliance: 'COMPLIANT',
      annotation: /^Exception: read-only copy of public open data \(no expiry\)$/,
    },
  ]);
});
