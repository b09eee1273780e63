import { expect } from 'chai';
import { mskNoUnauthenticatedAccess as rule } from '../../../rules/msk-no-unauthenticated-access/rule';
import { UNVERIFIABLE, templateTable } from '../../helpers/templates';

/** A provisioned cluster `clickstream` with the given extra properties. */
function cluster(properties: string): string {
  return `
Parameters:
  ScramOn: {Type: String, Default: 'true'}
  NoDefault: {Type: String}
Resources:
  PrivateCa:
    Type: AWS::ACMPCA::CertificateAuthority
    Properties: {Type: ROOT, KeyAlgorithm: RSA_2048, SigningAlgorithm: SHA256WITHRSA, Subject: {CommonName: kafka}}
  DataKey:
    Type: AWS::KMS::Key
  Clickstream:
    Type: AWS::MSK::Cluster
    Properties:
      ClusterName: clickstream
      KafkaVersion: 3.5.1
      NumberOfBrokerNodes: 2
      BrokerNodeGroupInfo:
        InstanceType: kafka.m7g.large
        ClientSubnets: [subnet-0a1, subnet-0b2]
${properties}
`;
}

describe('MSK.6 template adapter', () => {
  describe('client authentication', () => {
    templateTable(rule, [
      {
        title: 'IAM on, unauthenticated access off → COMPLIANT',
        template: cluster(
          '      ClientAuthentication:\n        Sasl: {Iam: {Enabled: true}}\n        Unauthenticated: {Enabled: false}',
        ),
        resourceId: 'Clickstream',
        compliance: 'COMPLIANT',
        annotation: /^MSK cluster "clickstream" requires client authentication \(IAM\)\.$/,
        also: (finding) => {
          expect(finding.resourceType).to.equal('AWS::MSK::Cluster');
          expect(finding.resourceName).to.equal('clickstream');
          expect(finding.internetFacing).to.equal(false);
        },
      },
      {
        title: 'IAM beside unauthenticated access → NON_COMPLIANT, supplemented but not removed',
        template: cluster(
          '      ClientAuthentication:\n        Sasl: {Iam: {Enabled: true}}\n        Unauthenticated: {Enabled: true}',
        ),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation: /allows unauthenticated clients beside IAM: supplemented but not removed/,
        also: (finding) =>
          expect(finding.remediation).to.match(
            /^Clickstream in stack\.yaml: set ClientAuthentication\.Sasl\.Iam\.Enabled .* ClientAuthentication\.Unauthenticated\.Enabled to false/,
          ),
      },
      {
        title: 'no ClientAuthentication at all → NON_COMPLIANT (MSK then accepts anyone)',
        template: cluster(''),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation: /^MSK cluster "clickstream" has no client authentication, so it accepts any client\./,
      },
      {
        title: 'only unauthenticated access → NON_COMPLIANT',
        template: cluster('      ClientAuthentication:\n        Unauthenticated: {Enabled: true}'),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation: /allows unauthenticated clients\. Enable IAM, SASL\/SCRAM or mutual TLS/,
      },
      {
        title: 'every mechanism off → NON_COMPLIANT',
        template: cluster(
          '      ClientAuthentication:\n        Sasl: {Iam: {Enabled: false}, Scram: {Enabled: false}}',
        ),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation: /enables no authentication mechanism/,
      },
      {
        title:
          'mutual TLS through a certificate authority list of !Refs → COMPLIANT (the list is counted, not resolved)',
        template: cluster(
          '      ClientAuthentication:\n        Tls:\n          CertificateAuthorityArnList: [!Ref PrivateCa]',
        ),
        resourceId: 'Clickstream',
        compliance: 'COMPLIANT',
        annotation: /requires client authentication \(mutual TLS\)/,
      },
      {
        title: 'Tls.Enabled true with a conditional certificate authority list → COMPLIANT',
        template: cluster(
          "      ClientAuthentication:\n        Tls:\n          Enabled: true\n          CertificateAuthorityArnList: !If [IsProd, [!Ref PrivateCa], !Ref 'AWS::NoValue']",
        ),
        resourceId: 'Clickstream',
        compliance: 'COMPLIANT',
        annotation: /mutual TLS/,
      },
      {
        title: 'SCRAM switched on through a parameter Default → COMPLIANT',
        template: cluster('      ClientAuthentication:\n        Sasl: {Scram: {Enabled: !Ref ScramOn}}'),
        resourceId: 'Clickstream',
        compliance: 'COMPLIANT',
        annotation: /SASL\/SCRAM/,
      },
      {
        title:
          'a switch from a parameter without Default → NON_COMPLIANT, cannot be verified, naming the switch',
        template: cluster(
          '      ClientAuthentication:\n        Sasl: {Iam: {Enabled: true}}\n        Unauthenticated: {Enabled: !Ref NoDefault}',
        ),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^clickstream cannot be verified before deploy: ClientAuthentication\.Unauthenticated\.Enabled is not known before deploy \(parameter NoDefault has no Default\)/,
      },
      {
        title: 'ClientAuthentication behind !If → NON_COMPLIANT, cannot be verified',
        template: cluster(
          '      ClientAuthentication: !If [IsProd, {Sasl: {Iam: {Enabled: true}}}, {Unauthenticated: {Enabled: true}}]',
        ),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: ClientAuthentication is not known before deploy \(Fn::If/,
      },
      {
        title: 'in-cluster encryption off → NON_COMPLIANT, saying the cluster must be recreated',
        template: cluster(`      ClientAuthentication:
        Unauthenticated: {Enabled: true}
      EncryptionInfo:
        EncryptionAtRest: {DataVolumeKMSKeyId: !Ref DataKey}
        EncryptionInTransit: {ClientBroker: TLS_PLAINTEXT, InCluster: false}`),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation:
          /In-cluster encryption is off, so authentication cannot be enabled in place: recreate the cluster/,
        also: (finding) =>
          expect(finding.remediation).to.match(/InCluster must be true, which replaces the cluster$/),
      },
      {
        title: 'public access (SERVICE_PROVIDED_EIPS) makes the failure internet-facing',
        template: cluster('      ClientAuthentication:\n        Unauthenticated: {Enabled: true}').replace(
          '        ClientSubnets: [subnet-0a1, subnet-0b2]',
          '        ClientSubnets: [subnet-0a1, subnet-0b2]\n        ConnectivityInfo: {PublicAccess: {Type: SERVICE_PROVIDED_EIPS}}',
        ),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation: /allows unauthenticated clients/,
        also: (finding) => expect(finding.internetFacing).to.equal(true),
      },
    ]);
  });

  describe('exceptions in Tags (map shape)', () => {
    templateTable(rule, [
      {
        title: 'a valid exception → COMPLIANT',
        template: cluster(
          "      ClientAuthentication:\n        Unauthenticated: {Enabled: true}\n      Tags:\n        authn-exception/MSK.6: legacy producers until the Q2 cut-over\n        authn-exception-expires/MSK.6: '2099-06-30'",
        ),
        resourceId: 'Clickstream',
        compliance: 'COMPLIANT',
        annotation: /^Exception: legacy producers until the Q2 cut-over \(expires 2099-06-30\)$/,
      },
      {
        title: 'an unreadable expiry → NON_COMPLIANT, naming the tag',
        template: cluster(
          '      Tags:\n        authn-exception/MSK.6: legacy producers until the Q2 cut-over\n        authn-exception-expires/MSK.6: end of Q2',
        ),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Exception tag authn-exception-expires\/MSK\.6 not honoured: "end of Q2" is not a YYYY-MM-DD date/,
      },
      {
        title: 'an exception covers a cluster that cannot be verified before deploy',
        template: cluster(
          '      ClientAuthentication: !If [IsProd, {Sasl: {Iam: {Enabled: true}}}, {Unauthenticated: {Enabled: true}}]\n      Tags:\n        authn-exception/MSK.6: dev clusters stay open until the SSO migration',
        ),
        resourceId: 'Clickstream',
        compliance: 'COMPLIANT',
        annotation: /^Exception: dev clusters stay open/,
      },
      {
        title: 'without it, the same cluster is NON_COMPLIANT',
        template: cluster(
          '      ClientAuthentication: !If [IsProd, {Sasl: {Iam: {Enabled: true}}}, {Unauthenticated: {Enabled: true}}]',
        ),
        resourceId: 'Clickstream',
        compliance: 'NON_COMPLIANT',
        annotation: UNVERIFIABLE,
      },
    ]);
  });
});
