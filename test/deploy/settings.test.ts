import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  SETTING_KEYS,
  SETTING_SPECS,
  SettingsError,
  crossChecks,
  frequencyOf,
  readSettings,
  settingsTableRows,
} from '../../deploy/settings';
import { EXIT } from '../../rules/core/errors';
import { tableCells } from '../../scripts/settings-table';
import { findRule } from '../../rules/index';
import { CENTRAL_ACCOUNT, ORGANIZATION_CONTEXT, ORG_ID, REPO_ROOT } from '../helpers/cdk';

const fromContext = (context: Record<string, unknown>) => (key: string) => context[key];

describe('deploy/settings', () => {
  it('defaults to a single-account deployment with nothing required', () => {
    expect(readSettings(fromContext({}))).to.deep.equal(DEFAULT_SETTINGS);
  });

  it('reads lists as comma-separated strings (cdk -c), JSON arrays or arrays (cdk.json)', () => {
    const cli = readSettings(
      fromContext({ regions: 'eu-west-1, us-east-1', excludedAccounts: '["123456789012"]' }),
    );
    expect(cli.regions).to.deep.equal(['eu-west-1', 'us-east-1']);
    expect(cli.excludedAccounts).to.deep.equal(['123456789012']);
    expect(readSettings(fromContext({ regions: ['eu-central-1'] })).regions).to.deep.equal(['eu-central-1']);
  });

  it('reads frequencies by control id, rule name or folder, as JSON or name=value pairs', () => {
    const settings = readSettings(
      fromContext({ frequencies: 'APIGateway.8=One_Hour,elasticache-redis-auth=Six_Hours' }),
    );
    expect(frequencyOf(settings, findRule('APIGateway.8')!)).to.equal('One_Hour');
    expect(frequencyOf(settings, findRule('ElastiCache.6')!)).to.equal('Six_Hours');
    const json = readSettings(
      fromContext({ frequencies: '{"authn-apigwv2-route-authorization":"Three_Hours"}' }),
    );
    expect(frequencyOf(json, findRule('APIGateway.8')!)).to.equal('Three_Hours');
    expect(frequencyOf(json, findRule('ElastiCache.6')!)).to.equal('TwentyFour_Hours');
    expect(frequencyOf(json, findRule('MSK.6')!)).to.equal(undefined);
  });

  it('reads rule parameters and checks them with the rule’s own parser', () => {
    const settings = readSettings(
      fromContext({ ruleParameters: '{"AppSync.5":{"AllowedAuthorizationTypes":"AWS_IAM"}}' }),
    );
    expect(settings.ruleParameters).to.deep.equal({
      'authn-appsync-no-api-key': { AllowedAuthorizationTypes: 'AWS_IAM' },
    });
    expect(() =>
      readSettings(fromContext({ ruleParameters: { 'AppSync.5': { AllowedAuthorizationTypes: 'NOPE' } } })),
    ).to.throw(SettingsError, /ruleParameters/);
    expect(() => readSettings(fromContext({ ruleParameters: { 'MSK.6': { Anything: 'x' } } }))).to.throw(
      /takes none/,
    );
  });

  it('props given in code win over context', () => {
    expect(
      readSettings(fromContext({ executionRoleName: 'from-context' }), { executionRoleName: 'from-props' })
        .executionRoleName,
    ).to.equal('from-props');
  });

  const rejects: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown mode', { mode: 'multi' }, /mode/],
    ['a malformed Region', { regions: 'eu_west_1' }, /regions/],
    ['a malformed excluded account', { excludedAccounts: '1234' }, /excludedAccounts/],
    ['an unknown rule in frequencies', { frequencies: 'S3.1=One_Hour' }, /no rule "S3.1"/],
    ['a frequency for a change-triggered rule', { frequencies: 'MSK.6=One_Hour' }, /change-triggered/],
    ['an unknown frequency', { frequencies: 'APIGateway.8=Daily' }, /Daily/],
    ['an invalid execution role name', { executionRoleName: 'bad role' }, /executionRoleName/],
    ['an unaccepted log retention', { logRetentionDays: '42' }, /logRetentionDays/],
    ['a quota share of none', { apiGatewayQuotaShare: '0' }, /apiGatewayQuotaShare/],
    ['a quota share above the whole quota', { apiGatewayQuotaShare: '1.5' }, /apiGatewayQuotaShare/],
    ['a quota share that is not a number', { apiGatewayQuotaShare: 'half' }, /apiGatewayQuotaShare/],
    ['an invalid exception prefix', { exceptionTagPrefix: 'aws:nope' }, /exceptionTagPrefix/],
    ['a non-boolean expiry requirement', { exceptionRequiresExpiry: 'maybe' }, /exceptionRequiresExpiry/],
    [
      'too many invoker accounts',
      { invokerAccountIds: Array.from({ length: 51 }, (_, i) => String(100000000000 + i)) },
      /invokerAccountIds/,
    ],
  ];
  for (const [what, context, message] of rejects) {
    it(`rejects ${what}, naming the setting`, () => {
      expect(() => readSettings(fromContext(context))).to.throw(SettingsError, message);
    });
  }

  describe('organization mode', () => {
    it('accepts a complete configuration', () => {
      const settings = readSettings(fromContext(ORGANIZATION_CONTEXT));
      expect(settings).to.deep.include({
        mode: 'organization',
        organizationId: ORG_ID,
        centralAccountId: CENTRAL_ACCOUNT,
        organizationalUnitIds: ['r-a1b2'],
        regions: ['eu-west-1', 'us-east-1'],
      });
    });

    for (const key of ['organizationId', 'centralAccountId', 'organizationalUnitIds', 'regions']) {
      it(`requires ${key}`, () => {
        const context = Object.fromEntries(
          Object.entries(ORGANIZATION_CONTEXT).filter(([name]) => name !== key),
        );
        expect(() => readSettings(fromContext(context))).to.throw(SettingsError, new RegExp(key));
      });
    }

    it('requires the management account when the StackSet is created there', () => {
      const context: Record<string, unknown> = { ...ORGANIZATION_CONTEXT, stackSetCallAs: 'SELF' };
      delete context.managementAccountId;
      expect(() => readSettings(fromContext(context))).to.throw(SettingsError, /managementAccountId/);
    });

    it('rejects an organization id or OU in the wrong form', () => {
      expect(() => readSettings(fromContext({ ...ORGANIZATION_CONTEXT, organizationId: '123' }))).to.throw(
        /organizationId/,
      );
      expect(() =>
        readSettings(fromContext({ ...ORGANIZATION_CONTEXT, organizationalUnitIds: 'sales' })),
      ).to.throw(/organizationalUnitIds/);
    });
  });

  it('the README documents every deploy setting', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const key of SETTING_KEYS) expect(readme, key).to.contain(`\`${key}\``);
  });

  it("the README's settings table is exactly the declaration (npx tsx scripts/settings-table.ts rewrites it)", () => {
    // Prepare
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    // Act
    const cells = tableCells(readme);
    // Assess
    expect(cells).to.deep.equal(settingsTableRows().map((row) => [...row]));
  });

  it('finds a stale README table: a changed description no longer matches', () => {
    // Prepare
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').replace(
      'Name of the organization conformance pack.',
      'Name of the pack.',
    );
    // Act
    const cells = tableCells(readme);
    // Assess
    expect(cells).to.not.deep.equal(settingsTableRows().map((row) => [...row]));
  });

  it('declares each setting once, with its default as DEFAULT_SETTINGS holds it', () => {
    // Act and Assess
    expect(SETTING_KEYS).to.deep.equal(Object.keys(SETTING_SPECS));
    for (const key of SETTING_KEYS) {
      expect(DEFAULT_SETTINGS[key], key).to.deep.equal(SETTING_SPECS[key].default);
      expect(SETTING_SPECS[key].description, key).to.not.equal('');
    }
  });

  it('checks the rules between settings in one place, crossChecks', () => {
    // Prepare
    const organization = { ...DEFAULT_SETTINGS, mode: 'organization' as const };
    // Act and Assess
    expect(() => {
      crossChecks(DEFAULT_SETTINGS);
    }).to.not.throw();
    expect(() => {
      crossChecks(organization);
    }).to.throw(SettingsError, /organizationId/);
  });

  it('is a usage error (exit status 2) naming the setting', () => {
    // Act
    const error = (() => {
      try {
        readSettings(fromContext({ mode: 'multi' }));
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    // Assess
    expect(error).to.be.instanceOf(SettingsError);
    expect(error).to.include({ setting: 'mode', code: 'settings', exitStatus: EXIT.usage });
  });
});
