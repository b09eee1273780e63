/**
 * The counterexamples the properties in this folder found, kept as fixed examples so they stay fixed whatever
 * fast-check draws next time. Each was a fail-open verdict (COMPLIANT without the facts) or an unexplained crash.
 */
import { expect } from 'chai';
import { checkTemplate } from '../../cli/check-template';
import { appsyncNoApiKey } from '../../rules/appsync-no-api-key/rule';
import { findException } from '../../rules/core/exceptions';
import { TemplateError, TemplateView, parseTemplate } from '../../rules/core/template';
import type { ConfigurationItem } from '../../rules/core/types';
import { elasticacheRedisAuth } from '../../rules/elasticache-redis-auth/rule';
import { mskNoUnauthenticatedAccess } from '../../rules/msk-no-unauthenticated-access/rule';
import { createConfigRuleHandler } from '../../rules/core/handler';
import { silentLog } from '../../rules/core/log';
import { changeEventFor, loadConfigurationItem } from '../fixtures/config-items';
import { configurationItem } from '../helpers/events';
import { applyMutations, assertDeliverableVerdict, type Mutation } from './arbitraries';

const DEFAULT_APPSYNC = {
  AllowedAuthorizationTypes: appsyncNoApiKey.parameters.AllowedAuthorizationTypes.parse(
    undefined,
    'AllowedAuthorizationTypes',
  ),
};

function item(resourceType: string, configuration: unknown): ConfigurationItem {
  return configurationItem({
    resourceType,
    resourceId: 'r-1',
    configuration,
  }) as unknown as ConfigurationItem;
}

function templateVerdicts(body: unknown, parameters: Record<string, string> = {}): Record<string, string> {
  const { findings } = checkTemplate(
    new TemplateView(parseTemplate(JSON.stringify(body), 'example.json')),
    'example.json',
    {
      now: new Date('2026-10-04T12:00:00Z'),
      exceptionPrefix: 'authn-exception',
      requireExpiry: false,
      parameters,
    },
  );
  return Object.fromEntries(
    findings.map((finding) => [finding.logicalId ?? finding.resourceId, finding.compliance]),
  );
}

describe('properties: counterexamples found, kept as examples', () => {
  describe('AppSync.5', () => {
    for (const additional of [{ AuthenticationType: 'API_KEY' }, 'API_KEY', true]) {
      it(`AdditionalAuthenticationProviders ${JSON.stringify(additional)} (not a list) is not read as "none": NON_COMPLIANT`, () => {
        const facts = appsyncNoApiKey.fromConfigurationItem?.(
          item('AWS::AppSync::GraphQLApi', {
            AuthenticationType: 'AWS_IAM',
            AdditionalAuthenticationProviders: additional,
          }),
        );
        if (facts === undefined) throw new Error('no adapter');
        expect(appsyncNoApiKey.evaluate(facts, DEFAULT_APPSYNC).compliance).to.equal('NON_COMPLIANT');
      });
    }

    it('the same in a template', () => {
      const verdicts = templateVerdicts({
        Resources: {
          Api: {
            Type: 'AWS::AppSync::GraphQLApi',
            Properties: {
              AuthenticationType: 'AWS_IAM',
              AdditionalAuthenticationProviders: { AuthenticationType: 'API_KEY' },
            },
          },
        },
      });
      expect(verdicts.Api).to.equal('NON_COMPLIANT');
    });
  });

  describe('MSK.6', () => {
    const verdict = (clientAuthentication: unknown): string => {
      const facts = mskNoUnauthenticatedAccess.fromConfigurationItem?.(
        item('AWS::MSK::Cluster', { ClientAuthentication: clientAuthentication }),
      );
      if (facts === undefined) throw new Error('no adapter');
      return mskNoUnauthenticatedAccess.evaluate(facts, {}).compliance;
    };

    it('a certificate authority list of [null] or [""] is no mutual TLS', () => {
      expect(verdict({ Tls: { CertificateAuthorityArnList: [null] } })).to.equal('NON_COMPLIANT');
      expect(verdict({ Tls: { CertificateAuthorityArnList: [''] } })).to.equal('NON_COMPLIANT');
      expect(
        verdict({
          Tls: { CertificateAuthorityArnList: ['arn:aws:acm-pca:eu-west-1:1:certificate-authority/x'] },
        }),
      ).to.equal('COMPLIANT');
    });

    it('an Unauthenticated that is no switch block, or a switch that is no boolean, fails closed', () => {
      const iam = { Sasl: { Iam: { Enabled: true } } };
      expect(verdict({ ...iam, Unauthenticated: true })).to.equal('NON_COMPLIANT');
      expect(verdict({ ...iam, Unauthenticated: false })).to.equal('NON_COMPLIANT');
      expect(verdict({ ...iam, Unauthenticated: { Enabled: 'TRUE' } })).to.equal('NON_COMPLIANT');
      expect(verdict({ ...iam, Unauthenticated: { Enabled: 1 } })).to.equal('NON_COMPLIANT');
      expect(verdict({ ...iam, Unauthenticated: { Enabled: false } })).to.equal('COMPLIANT');
      expect(verdict({ ...iam, Unauthenticated: {} })).to.equal('COMPLIANT');
      expect(verdict(iam)).to.equal('COMPLIANT');
    });

    it('a Tls.Enabled that is no switch does not fall back to the certificate authority list', () => {
      expect(verdict({ Tls: { Enabled: ' false', CertificateAuthorityArnList: ['arn:ca'] } })).to.equal(
        'NON_COMPLIANT',
      );
    });

    it('in a template: Unauthenticated: true, and conditional or NoValue authorities, do not pass', () => {
      const cluster = (clientAuthentication: unknown) => ({
        Type: 'AWS::MSK::Cluster',
        Properties: { ClientAuthentication: clientAuthentication },
      });
      const verdicts = templateVerdicts({
        Resources: {
          OpenBlock: cluster({ Unauthenticated: true, Sasl: { Iam: { Enabled: true } } }),
          ConditionalCa: cluster({
            Tls: {
              CertificateAuthorityArnList: [{ 'Fn::If': ['IsProd', 'arn:ca', { Ref: 'AWS::NoValue' }] }],
            },
          }),
          NoValueCa: cluster({ Tls: { CertificateAuthorityArnList: [{ Ref: 'AWS::NoValue' }] } }),
          RefCa: cluster({ Tls: { CertificateAuthorityArnList: [{ Ref: 'CertificateAuthority' }] } }),
          CertificateAuthority: { Type: 'AWS::ACMPCA::CertificateAuthority', Properties: {} },
        },
      });
      expect(verdicts).to.deep.equal({
        OpenBlock: 'NON_COMPLIANT',
        ConditionalCa: 'NON_COMPLIANT',
        NoValueCa: 'NON_COMPLIANT',
        RefCa: 'COMPLIANT',
      });
    });
  });

  describe('ElastiCache.6', () => {
    it('a blank user group id is no RBAC', () => {
      const facts = {
        groupId: 'sessions',
        engine: 'redis',
        engineVersion: '7.1',
        authTokenEnabled: undefined,
        userGroupIds: [' '],
        transitEncryptionEnabled: true,
        region: 'eu-west-1',
      };
      expect(
        elasticacheRedisAuth.evaluate(facts, {
          RequireAuthOnAllVersions: true,
          ReportUnchanged: false,
          RefreshAfterDays: 30,
        }).compliance,
      ).to.equal('NON_COMPLIANT');
    });

    it('in a template: AuthToken null, [], {} or !Ref AWS::NoValue sets no token; a dynamic reference does', () => {
      const group = (authToken: unknown) => ({
        Type: 'AWS::ElastiCache::ReplicationGroup',
        // In-transit encryption on: ElastiCache takes an AuthToken only with it.
        Properties: {
          Engine: 'redis',
          EngineVersion: '5.0.6',
          TransitEncryptionEnabled: true,
          AuthToken: authToken,
        },
      });
      const verdicts = templateVerdicts({
        Resources: {
          Null: group(null),
          List: group([]),
          Mapping: group({}),
          NoValue: group({ Ref: 'AWS::NoValue' }),
          Secret: group('{{resolve:secretsmanager:redis-token}}'),
          Parameter: group({ Ref: 'Token' }),
        },
        Parameters: { Token: { Type: 'String', NoEcho: true } },
      });
      expect(verdicts).to.deep.equal({
        Null: 'NON_COMPLIANT',
        List: 'NON_COMPLIANT',
        Mapping: 'NON_COMPLIANT',
        NoValue: 'NON_COMPLIANT',
        Secret: 'COMPLIANT',
        Parameter: 'COMPLIANT',
      });
    });

    it('in a template: UserGroupIds [{}], [!Ref AWS::NoValue] or a conditional entry is no RBAC', () => {
      const group = (userGroupIds: unknown) => ({
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: { Engine: 'redis', EngineVersion: '7.1', UserGroupIds: userGroupIds },
      });
      const verdicts = templateVerdicts(
        {
          Resources: {
            Mapping: group([{}]),
            NoValue: group([{ Ref: 'AWS::NoValue' }]),
            Conditional: group([{ 'Fn::If': ['IsProd', [], {}] }]),
            Named: group(['rbac-users']),
          },
        },
        { RequireAuthOnAllVersions: 'true' },
      );
      expect(verdicts).to.deep.equal({
        Mapping: 'NON_COMPLIANT',
        NoValue: 'NON_COMPLIANT',
        Conditional: 'NON_COMPLIANT',
        Named: 'COMPLIANT',
      });
    });
  });

  describe('the template reader', () => {
    for (const text of [
      '*!',
      '<<: *a',
      'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\na1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\na2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\na3: [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\nResources: {}',
    ]) {
      it(`answers ${JSON.stringify(text.slice(0, 20))} with a TemplateError, not a ReferenceError`, () => {
        expect(() => parseTemplate(text, 'example.yaml')).to.throw(
          TemplateError,
          /^example\.yaml(:\d+:\d+)?: not a readable template/,
        );
      });
    }

    it('reads tag values that are no text (a mapping without toString) as no tag, without throwing', () => {
      const view = new TemplateView(parseTemplate('{"Resources": {}}'));
      expect(
        view.tags({ k: { toString: 1 }, n: Object.create(null) as unknown, ok: 'yes', count: 3 }),
      ).to.deep.equal({ ok: 'yes', count: '3' });
    });
  });

  describe('the exception convention', () => {
    it('a justification tag whose value is no text is not honoured, and does not throw', () => {
      const tags = { 'authn-exception/MSK.6': {} } as unknown as Record<string, string>;
      const lookup = findException(tags, 'MSK.6', undefined, {
        prefix: 'authn-exception',
        requiresExpiry: false,
        today: '2026-10-04',
      });
      expect(lookup.kind).to.equal('invalid');
    });

    it('an expiry tag whose value is no text is an unreadable date', () => {
      const tags = {
        'authn-exception/MSK.6': 'legacy producers until the Q2 cut-over',
        'authn-exception-expires/MSK.6': 20_261_231,
      } as unknown as Record<string, string>;
      const lookup = findException(tags, 'MSK.6', undefined, {
        prefix: 'authn-exception',
        requiresExpiry: false,
        today: '2026-10-04',
      });
      expect(lookup.kind).to.equal('invalid');
    });
  });

  describe('the mutation generator (test/properties/arbitraries.ts)', () => {
    // Seed -918572208 (MSK.6 over mutated configuration items): a list replaced by a boxed string, then its first
    // element stringified; the generator wrote to the string's read-only character and crashed the property.
    const changes: Mutation[] = [
      {
        op: 'replace',
        path: ['configuration', 'BrokerNodeGroupInfo', 'ClientSubnets'],
        value: new String(' '),
      },
      { op: 'stringify', path: ['configuration', 'BrokerNodeGroupInfo', 'ClientSubnets', 0] },
    ];

    it('leaves a path that now runs into a boxed value alone, as one that no longer exists', () => {
      // Prepare
      const item = loadConfigurationItem(
        'msk-no-unauthenticated-access',
        'noncompliant-no-client-authentication-plaintext',
      );
      // Act
      const mutated = applyMutations(item, changes) as { configuration: { BrokerNodeGroupInfo: unknown } };
      // Assess
      const subnets = (mutated.configuration.BrokerNodeGroupInfo as { ClientSubnets: unknown }).ClientSubnets;
      expect(subnets).to.be.instanceOf(String);
      expect(String(subnets)).to.equal(' ');
    });

    it('the MSK.6 handler judges that item: one deliverable NON_COMPLIANT evaluation', async () => {
      // Prepare
      const item = applyMutations(
        loadConfigurationItem(
          'msk-no-unauthenticated-access',
          'noncompliant-no-client-authentication-plaintext',
        ),
        changes,
      ) as ConfigurationItem;
      const handle = createConfigRuleHandler(mskNoUnauthenticatedAccess, {
        dryRun: true,
        log: silentLog,
        now: () => new Date('2026-10-04T06:30:00.000Z'),
      });
      // Act
      const result = await handle(changeEventFor(item));
      // Assess
      expect(result.evaluations).to.have.length(1);
      const [evaluation] = result.evaluations;
      expect(evaluation?.ComplianceType).to.equal('NON_COMPLIANT');
      assertDeliverableVerdict({ compliance: 'NON_COMPLIANT', annotation: evaluation?.Annotation ?? '' });
    });
  });
});
