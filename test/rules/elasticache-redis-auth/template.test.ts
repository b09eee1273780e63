import { expect } from 'chai';
import { elasticacheRedisAuth as rule } from '../../../rules/elasticache-redis-auth/rule';
import { UNVERIFIABLE, templateTable } from '../../helpers/templates';

const ALL_VERSIONS = { parameters: { RequireAuthOnAllVersions: 'true' } };

/** A replication group `carts` with the given properties. */
function group(properties: string): string {
  return `
Parameters:
  OldVersion: {Type: String, Default: 5.0.6}
  NoDefault: {Type: String}
  Token: {Type: String, NoEcho: true}
  Groups: {Type: CommaDelimitedList, Default: ug-carts}
Resources:
  CartsUsers:
    Type: AWS::ElastiCache::UserGroup
    Properties: {UserGroupId: carts-users, Engine: redis, UserIds: [default]}
  Carts:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupId: carts
      ReplicationGroupDescription: carts
      CacheNodeType: cache.t3.micro
      NumCacheClusters: 2
${properties}
`;
}

describe('ElastiCache.6 template adapter', () => {
  describe('engine version and AUTH', () => {
    templateTable(rule, [
      {
        title: 'Redis OSS 5.0.6 without AuthToken → NON_COMPLIANT, in-transit encryption first',
        template: group('      Engine: redis\n      EngineVersion: 5.0.6'),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Replication group "carts" runs Redis OSS 5\.0\.6 without an AUTH token\. AUTH needs in-transit encryption first/,
        also: (finding) => {
          expect(finding.resourceType).to.equal('AWS::ElastiCache::ReplicationGroup');
          expect(finding.resourceName).to.equal('carts');
          expect(finding.remediation).to.match(
            /^Carts in stack\.yaml: set TransitEncryptionEnabled: true and AuthToken to a Secrets Manager dynamic reference .*; enabling transit encryption on Redis OSS below 7\.0 replaces the group/,
          );
        },
      },
      {
        title:
          'Redis OSS 5.0.6 with an AuthToken but TransitEncryptionEnabled false → NON_COMPLIANT: ElastiCache refuses the token',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      TransitEncryptionEnabled: false\n      AuthToken: '{{resolve:secretsmanager:carts-redis-auth}}'",
        ),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Replication group "carts" runs Redis OSS 5\.0\.6 without an AUTH token\. Its AuthToken is refused: ElastiCache accepts an AUTH token only with TransitEncryptionEnabled true/,
      },
      {
        title: 'an AuthToken without TransitEncryptionEnabled (false by default) → NON_COMPLIANT as well',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      AuthToken: '{{resolve:secretsmanager:carts-redis-auth}}'",
        ),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /Its AuthToken is refused/,
      },
      {
        title: 'an AuthToken with TransitEncryptionEnabled known only at deploy → cannot be verified',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      TransitEncryptionEnabled: !Ref NoDefault\n      AuthToken: '{{resolve:secretsmanager:carts-redis-auth}}'",
        ),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /cannot be verified before deploy: TransitEncryptionEnabled is not known before deploy/,
      },
      {
        title: 'Redis OSS 5.0.6 with transit encryption and an AuthToken dynamic reference → COMPLIANT',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      TransitEncryptionEnabled: true\n      AuthToken: '{{resolve:secretsmanager:carts-redis-auth}}'",
        ),
        resourceId: 'Carts',
        compliance: 'COMPLIANT',
        annotation: /requires an AUTH token/,
      },
      {
        title:
          'an AuthToken from a NoEcho parameter without Default → COMPLIANT (set at deploy, whatever its value)',
        template: group(
          '      Engine: redis\n      EngineVersion: 5.0.6\n      TransitEncryptionEnabled: true\n      AuthToken: !Ref Token',
        ),
        resourceId: 'Carts',
        compliance: 'COMPLIANT',
        annotation: /requires an AUTH token/,
      },
      {
        title: 'an AuthToken behind !If → NON_COMPLIANT, cannot be verified before deploy',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      AuthToken: !If [IsProd, '{{resolve:secretsmanager:carts-redis-auth}}', !Ref 'AWS::NoValue']",
        ),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation:
          /^carts cannot be verified before deploy: AuthToken is conditional \(Fn::If\), so whether it is set is known only at deploy\. Set AuthToken unconditionally/,
        also: (finding) =>
          expect(finding.remediation).to.equal(
            'Carts in stack.yaml: set AuthToken unconditionally (a Secrets Manager dynamic reference), or document an exception tag',
          ),
      },
      {
        title:
          'no EngineVersion → NOT_APPLICABLE (the service creates the latest version, outside ElastiCache.6)',
        template: group('      Engine: redis'),
        resourceId: 'Carts',
        compliance: 'NOT_APPLICABLE',
        annotation: /runs Redis OSS \(default, latest version\), which supports RBAC: outside ElastiCache\.6/,
      },
      {
        title: 'Redis OSS 7.1 without AUTH → NOT_APPLICABLE',
        template: group('      Engine: redis\n      EngineVersion: 7.1'),
        resourceId: 'Carts',
        compliance: 'NOT_APPLICABLE',
        annotation: /runs Redis OSS 7\.1, which supports RBAC/,
      },
      {
        title: 'Redis OSS 6.x → NOT_APPLICABLE',
        template: group('      Engine: redis\n      EngineVersion: 6.x'),
        resourceId: 'Carts',
        compliance: 'NOT_APPLICABLE',
        annotation: /outside ElastiCache\.6/,
      },
      {
        title: 'Valkey → NOT_APPLICABLE',
        template: group('      Engine: valkey\n      EngineVersion: 7.2'),
        resourceId: 'Carts',
        compliance: 'NOT_APPLICABLE',
        annotation: /runs Valkey 7\.2/,
      },
      {
        title: 'no Engine is read as Redis OSS',
        template: group('      EngineVersion: 4.0.10'),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /runs Redis OSS 4\.0\.10 without an AUTH token/,
      },
      {
        title: 'EngineVersion from a parameter whose Default is 5.0.6 → NON_COMPLIANT',
        template: group('      Engine: redis\n      EngineVersion: !Ref OldVersion'),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /runs Redis OSS 5\.0\.6 without an AUTH token/,
      },
      {
        title:
          'EngineVersion from a parameter without Default → NON_COMPLIANT, cannot be verified before deploy',
        template: group('      Engine: redis\n      EngineVersion: !Ref NoDefault'),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation:
          /cannot be verified before deploy: EngineVersion is not known before deploy \(parameter NoDefault has no Default\)\. Use a literal or a parameter with a Default\.$/,
        also: (finding) =>
          expect(finding.remediation).to.equal(
            'Carts in stack.yaml: make EngineVersion a literal (or a parameter with a Default) so the check can see it, or document an exception tag',
          ),
      },
      {
        title: 'Engine from a parameter without Default → NON_COMPLIANT, cannot be verified before deploy',
        template: group('      Engine: !Ref NoDefault\n      EngineVersion: 5.0.6'),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /cannot be verified before deploy: Engine is not known before deploy/,
      },
    ]);
  });

  describe('with RequireAuthOnAllVersions=true', () => {
    templateTable(rule, [
      {
        title: 'Redis OSS 7.1 without AUTH or RBAC → NON_COMPLIANT',
        template: group('      Engine: redis\n      EngineVersion: 7.1'),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /\(Redis OSS 7\.1\) has neither an AUTH token nor an RBAC user group/,
        options: ALL_VERSIONS,
      },
      {
        title: 'no EngineVersion, no AUTH or RBAC → NON_COMPLIANT',
        template: group('      Engine: redis'),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /has neither an AUTH token nor an RBAC user group/,
        options: ALL_VERSIONS,
      },
      {
        title: 'a user group that is a !Ref to one in the template → COMPLIANT (RBAC)',
        template: group(
          '      Engine: redis\n      EngineVersion: 7.1\n      UserGroupIds: [!Ref CartsUsers]',
        ),
        resourceId: 'Carts',
        compliance: 'COMPLIANT',
        annotation: /requires RBAC user group authentication/,
        options: ALL_VERSIONS,
      },
      {
        title: 'user groups from a CommaDelimitedList parameter Default → COMPLIANT',
        template: group('      Engine: redis\n      EngineVersion: 7.1\n      UserGroupIds: !Ref Groups'),
        resourceId: 'Carts',
        compliance: 'COMPLIANT',
        annotation: /RBAC/,
        options: ALL_VERSIONS,
      },
      {
        title: 'UserGroupIds behind !If → NON_COMPLIANT, cannot be verified before deploy',
        template: group(
          "      Engine: redis\n      EngineVersion: 7.1\n      UserGroupIds: !If [IsProd, [!Ref CartsUsers], !Ref 'AWS::NoValue']",
        ),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: /cannot be verified before deploy: UserGroupIds is not known before deploy \(Fn::If/,
        options: ALL_VERSIONS,
      },
    ]);
  });

  describe('exceptions in Tags (list shape)', () => {
    templateTable(rule, [
      {
        title: 'a valid exception → COMPLIANT',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      Tags:\n        - Key: authn-exception/ElastiCache.6\n          Value: isolated subnet, replaced by the 7.1 group in May\n        - Key: authn-exception-expires/ElastiCache.6\n          Value: '2099-05-31'",
        ),
        resourceId: 'Carts',
        compliance: 'COMPLIANT',
        annotation: /^Exception: isolated subnet, replaced by the 7\.1 group in May \(expires 2099-05-31\)$/,
      },
      {
        title: 'an exception covers a group whose AuthToken is conditional',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      AuthToken: !If [IsProd, '{{resolve:secretsmanager:x}}', !Ref 'AWS::NoValue']\n      Tags:\n        - Key: authn-exception/ElastiCache.6\n          Value: dev groups run without AUTH, no customer data",
        ),
        resourceId: 'Carts',
        compliance: 'COMPLIANT',
        annotation: /^Exception: dev groups run without AUTH/,
      },
      {
        title: 'without it, that group is NON_COMPLIANT',
        template: group(
          "      Engine: redis\n      EngineVersion: 5.0.6\n      AuthToken: !If [IsProd, '{{resolve:secretsmanager:x}}', !Ref 'AWS::NoValue']",
        ),
        resourceId: 'Carts',
        compliance: 'NON_COMPLIANT',
        annotation: UNVERIFIABLE,
      },
    ]);
  });
});
