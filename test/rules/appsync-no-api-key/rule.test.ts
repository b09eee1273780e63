import {
  AppSyncClient,
  ListGraphqlApisCommand,
  ListTagsForResourceCommand,
  type GraphqlApi,
  type ListGraphqlApisCommandInput,
  type ListGraphqlApisCommandOutput,
} from '@aws-sdk/client-appsync';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { GraphqlApiFacts } from '../../../rules/appsync-no-api-key/facts';
import { appsyncNoApiKey as rule } from '../../../rules/appsync-no-api-key/rule';
import { decide, decideSwept } from '../../../rules/core/decide';
import { ParameterError } from '../../../rules/core/errors';
import { DEFAULT_EXCEPTION_PREFIX, type ExceptionSettings } from '../../../rules/core/exceptions';
import { createConfigRuleHandler } from '../../../rules/core/handler';
import { silentLog } from '../../../rules/core/log';
import { parseParameters } from '../../../rules/core/parameters';
import type { Compliance, ConfigurationItem, SweepContext } from '../../../rules/core/types';
import {
  changeEventFor,
  loadConfigurationItem,
  itEvaluatesFixtures,
  type FixtureRow,
} from '../../fixtures/config-items';
import { ACCOUNT, REGION } from '../../helpers/events';

const FOLDER = 'appsync-no-api-key';
const TODAY = '2026-10-05';
const EXCEPTIONS: ExceptionSettings = {
  prefix: DEFAULT_EXCEPTION_PREFIX,
  requiresExpiry: false,
  today: TODAY,
};
const CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };
/** The rule's own defaults, read the way the handler reads them. */
const DEFAULTS = parseParameters(rule.parameters, {}).rule;

function api(overrides: Partial<GraphqlApiFacts> = {}): GraphqlApiFacts {
  return {
    apiId: 'bq4t7xk2mnd3lf',
    name: 'reviews',
    authenticationType: 'AMAZON_COGNITO_USER_POOLS',
    additionalAuthenticationTypes: [],
    region: REGION,
    ...overrides,
  };
}

describe('AppSync.5 authn-appsync-no-api-key', () => {
  describe('parameters', () => {
    it("defaults AllowedAuthorizationTypes to Security Hub's value, without API_KEY", () => {
      // Act
      const allowed = DEFAULTS.AllowedAuthorizationTypes;
      // Assess
      expect(allowed).to.deep.equal(['AWS_LAMBDA', 'AWS_IAM', 'OPENID_CONNECT', 'AMAZON_COGNITO_USER_POOLS']);
    });

    it('reads a CSV value and refuses a mode AppSync does not have', () => {
      // Act
      const parsed = parseParameters(rule.parameters, {
        AllowedAuthorizationTypes: 'AWS_IAM, AWS_LAMBDA',
      }).rule;
      const refuse = () =>
        parseParameters(rule.parameters, { AllowedAuthorizationTypes: 'AWS_IAM,PASSWORD' });
      // Assess
      expect(parsed.AllowedAuthorizationTypes).to.deep.equal(['AWS_IAM', 'AWS_LAMBDA']);
      expect(refuse).to.throw(ParameterError, /AllowedAuthorizationTypes: "PASSWORD" is not one of/);
    });
  });

  describe('evaluate: the verdict table (default AllowedAuthorizationTypes)', () => {
    const rows: { title: string; facts: GraphqlApiFacts; compliance: Compliance; annotation: RegExp }[] = [
      {
        title: 'Cognito user pools only → COMPLIANT',
        facts: api(),
        compliance: 'COMPLIANT',
        annotation: /^GraphQL API "reviews" authenticates callers with AMAZON_COGNITO_USER_POOLS\.$/,
      },
      {
        title: 'AWS_IAM primary → COMPLIANT',
        facts: api({ authenticationType: 'AWS_IAM' }),
        compliance: 'COMPLIANT',
        annotation: /with AWS_IAM/,
      },
      {
        title: 'OPENID_CONNECT primary → COMPLIANT',
        facts: api({ authenticationType: 'OPENID_CONNECT' }),
        compliance: 'COMPLIANT',
        annotation: /with OPENID_CONNECT/,
      },
      {
        title: 'AWS_LAMBDA primary beside AWS_IAM → COMPLIANT',
        facts: api({ authenticationType: 'AWS_LAMBDA', additionalAuthenticationTypes: ['AWS_IAM'] }),
        compliance: 'COMPLIANT',
        annotation: /with AWS_LAMBDA, AWS_IAM/,
      },
      {
        title:
          'API_KEY primary beside an allowed additional mode → NON_COMPLIANT, the strong mode is already there',
        facts: api({ authenticationType: 'API_KEY', additionalAuthenticationTypes: ['AWS_IAM'] }),
        compliance: 'NON_COMPLIANT',
        annotation:
          /^GraphQL API "reviews" accepts API keys beside AWS_IAM\. The strong mode is already there: move clients to it, then remove API_KEY/,
      },
      {
        title:
          'allowed primary with API_KEY as an additional mode → NON_COMPLIANT, the strong mode is already there',
        facts: api({ additionalAuthenticationTypes: ['API_KEY'] }),
        compliance: 'NON_COMPLIANT',
        annotation: /accepts API keys beside AMAZON_COGNITO_USER_POOLS\. The strong mode is already there/,
      },
      {
        title: 'API_KEY as the only mode → NON_COMPLIANT, an authenticated mode must be added first',
        facts: api({ authenticationType: 'API_KEY' }),
        compliance: 'NON_COMPLIANT',
        annotation:
          /^GraphQL API "reviews" relies on API keys only\. Add an authenticated mode \(Cognito, IAM, OIDC or Lambda\) first/,
      },
      {
        title: 'missing primary type → NON_COMPLIANT',
        facts: api({ authenticationType: undefined }),
        compliance: 'NON_COMPLIANT',
        annotation: /has no readable primary authentication type/,
      },
      {
        title: 'an additional provider without a type → NON_COMPLIANT',
        facts: api({ additionalAuthenticationTypes: ['AWS_IAM', undefined] }),
        compliance: 'NON_COMPLIANT',
        annotation: /additional authentication provider without a readable type/,
      },
    ];
    for (const row of rows) {
      it(row.title, () => {
        // Prepare
        const { facts } = row;
        // Act
        const verdict = rule.evaluate(facts, DEFAULTS);
        // Assess
        expect(verdict.compliance).to.equal(row.compliance);
        expect(verdict.annotation).to.match(row.annotation);
      });
    }

    it('says API_KEY beside a strong mode is not cleared by deleting keys, and never says "only" there', () => {
      // Prepare
      const facts = api({ authenticationType: 'API_KEY', additionalAuthenticationTypes: ['AWS_IAM'] });
      // Act
      const { annotation } = rule.evaluate(facts, DEFAULTS);
      // Assess
      expect(annotation).to.include('deleting keys alone does not clear this');
      expect(annotation).not.to.match(/only|first/);
    });

    it('does not claim a strong mode exists when API_KEY is the only mode', () => {
      // Prepare
      const facts = api({ authenticationType: 'API_KEY', additionalAuthenticationTypes: ['API_KEY'] });
      // Act
      const { annotation } = rule.evaluate(facts, DEFAULTS);
      // Assess
      expect(annotation).not.to.include('already there');
      expect(annotation).to.include('first');
    });
  });

  describe('evaluate: AllowedAuthorizationTypes set', () => {
    const rows: {
      title: string;
      allowed: string;
      facts: GraphqlApiFacts;
      compliance: Compliance;
      annotation: RegExp;
    }[] = [
      {
        title: 'a primary mode outside the list → NON_COMPLIANT naming it',
        allowed: 'AWS_IAM',
        facts: api(),
        compliance: 'NON_COMPLIANT',
        annotation: /uses AMAZON_COGNITO_USER_POOLS, outside AllowedAuthorizationTypes \(AWS_IAM\)/,
      },
      {
        title: 'an additional mode outside the list → NON_COMPLIANT naming it',
        allowed: 'AMAZON_COGNITO_USER_POOLS',
        facts: api({ additionalAuthenticationTypes: ['OPENID_CONNECT'] }),
        compliance: 'NON_COMPLIANT',
        annotation: /uses OPENID_CONNECT, outside AllowedAuthorizationTypes/,
      },
      {
        title: 'API_KEY beside an allowed mode and another disallowed one → NON_COMPLIANT naming both',
        allowed: 'AWS_IAM',
        facts: api({
          authenticationType: 'API_KEY',
          additionalAuthenticationTypes: ['AWS_IAM', 'OPENID_CONNECT'],
        }),
        compliance: 'NON_COMPLIANT',
        annotation: /beside AWS_IAM\..*It also uses OPENID_CONNECT, outside AllowedAuthorizationTypes/,
      },
      {
        title: 'API_KEY when the list allows it → COMPLIANT',
        allowed: 'API_KEY,AWS_IAM',
        facts: api({ authenticationType: 'API_KEY' }),
        compliance: 'COMPLIANT',
        annotation: /with API_KEY/,
      },
    ];
    for (const row of rows) {
      it(row.title, () => {
        // Prepare
        const params = parseParameters(rule.parameters, { AllowedAuthorizationTypes: row.allowed }).rule;
        // Act
        const verdict = rule.evaluate(row.facts, params);
        // Assess
        expect(verdict.compliance).to.equal(row.compliance);
        expect(verdict.annotation).to.match(row.annotation);
      });
    }
  });

  describe('fromConfigurationItem: CIs as Config sends them', () => {
    it('reads the PascalCase primary and additional modes', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'noncompliant-api-key-beside-iam');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts).to.deep.equal({
        apiId: 'h3k9m2q7wzx4cd',
        name: 'storefront',
        authenticationType: 'API_KEY',
        additionalAuthenticationTypes: ['AWS_IAM'],
        region: REGION,
      });
    });

    it('reads a CI without AdditionalAuthenticationProviders as no additional modes', () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'noncompliant-api-key-only');
      // Act
      const facts = rule.fromConfigurationItem!(item);
      // Assess
      expect(facts.additionalAuthenticationTypes).to.deep.equal([]);
      expect(facts.authenticationType).to.equal('API_KEY');
    });

    it('does not read camelCase (API-shaped) fields from a CI: the primary type is then missing', () => {
      // Prepare
      const base = loadConfigurationItem(FOLDER, 'compliant-cognito-with-iam');
      const item: ConfigurationItem = {
        ...base,
        configuration: { name: 'reviews', authenticationType: 'AWS_IAM' },
      };
      // Act
      const verdict = rule.evaluate(rule.fromConfigurationItem!(item), DEFAULTS);
      // Assess
      expect(verdict.compliance).to.equal('NON_COMPLIANT');
      expect(verdict.annotation).to.match(/no readable primary authentication type/);
    });
  });

  describe('the handler on change notifications (dry run)', () => {
    const handle = createConfigRuleHandler(rule, {
      dryRun: true,
      log: silentLog,
      now: () => new Date(`${TODAY}T17:00:00Z`),
    });
    const rows: FixtureRow[] = [
      {
        fixture: 'compliant-cognito-with-iam',
        compliance: 'COMPLIANT',
        annotation: /"reviews" authenticates callers with AMAZON_COGNITO_USER_POOLS, AWS_IAM/,
      },
      {
        fixture: 'compliant-merged-lambda',
        compliance: 'COMPLIANT',
        annotation: /"gateway-merged" authenticates callers with AWS_LAMBDA/,
      },
      {
        fixture: 'noncompliant-api-key-beside-iam',
        compliance: 'NON_COMPLIANT',
        annotation: /"storefront" accepts API keys beside AWS_IAM\. The strong mode is already there/,
      },
      {
        fixture: 'noncompliant-api-key-only',
        compliance: 'NON_COMPLIANT',
        annotation: /"public-catalog" relies on API keys only/,
      },
    ];
    itEvaluatesFixtures(handle, FOLDER, 'AWS::AppSync::GraphQLApi', rows);

    it('judges a MERGED API like a GRAPHQL one: API_KEY on a merged API fails', async () => {
      // Prepare
      const base = loadConfigurationItem(FOLDER, 'compliant-merged-lambda');
      const item: ConfigurationItem = {
        ...base,
        configuration: {
          ...(base.configuration as Record<string, unknown>),
          AdditionalAuthenticationProviders: [{ AuthenticationType: 'API_KEY' }],
        },
      };
      // Act
      const result = await handle(changeEventFor(item));
      // Assess
      expect(result.evaluations[0]).to.include({ ComplianceType: 'NON_COMPLIANT' });
      expect(result.evaluations[0]?.Annotation).to.match(
        /"gateway-merged" accepts API keys beside AWS_LAMBDA/,
      );
    });

    it('passes AllowedAuthorizationTypes from ruleParameters to the decision', async () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'compliant-cognito-with-iam');
      // Act
      const result = await handle(
        changeEventFor(item, { ruleParameters: { AllowedAuthorizationTypes: 'AWS_IAM' } }),
      );
      // Assess
      expect(result.evaluations[0]?.ComplianceType).to.equal('NON_COMPLIANT');
      expect(result.evaluations[0]?.Annotation).to.match(
        /uses AMAZON_COGNITO_USER_POOLS, outside AllowedAuthorizationTypes/,
      );
    });

    it('honours an exception tag from the CI tags map', async () => {
      // Prepare
      const base = loadConfigurationItem(FOLDER, 'noncompliant-api-key-only');
      const item: ConfigurationItem = {
        ...base,
        tags: { ...base.tags, 'authn-exception/AppSync.5': 'public read-only catalogue, no user data' },
      };
      // Act
      const result = await handle(changeEventFor(item));
      // Assess
      expect(result.evaluations[0]).to.include({
        ComplianceType: 'COMPLIANT',
        Annotation: 'Exception: public read-only catalogue, no user data (no expiry)',
      });
    });

    it('reports a deleted API (configuration null) NOT_APPLICABLE', async () => {
      // Prepare
      const base = loadConfigurationItem(FOLDER, 'noncompliant-api-key-only');
      const item: ConfigurationItem = {
        ...base,
        configuration: null,
        tags: {},
        configurationItemStatus: 'ResourceDeleted',
      };
      // Act
      const result = await handle(changeEventFor(item));
      // Assess
      expect(result.evaluations[0]).to.include({
        ComplianceResourceId: item.resourceId,
        ComplianceType: 'NOT_APPLICABLE',
      });
    });

    it('reports NOT_APPLICABLE when the event left the scope', async () => {
      // Prepare
      const item = loadConfigurationItem(FOLDER, 'noncompliant-api-key-only');
      // Act
      const result = await handle(changeEventFor(item, { eventLeftScope: true }));
      // Assess
      expect(result.evaluations[0]?.ComplianceType).to.equal('NOT_APPLICABLE');
    });
  });

  describe('exceptions through decide', () => {
    const failing = api({ authenticationType: 'API_KEY' });
    const JUSTIFICATION = 'public read-only catalogue, no user data';

    const rows: {
      title: string;
      tags: Record<string, string>;
      settings?: Partial<ExceptionSettings>;
      compliance: Compliance;
      annotation: RegExp;
    }[] = [
      {
        title: 'a resource-level exception with a future expiry → COMPLIANT "Exception: … (expires …)"',
        tags: {
          'authn-exception/AppSync.5': JUSTIFICATION,
          'authn-exception-expires/AppSync.5': '2027-03-31',
        },
        compliance: 'COMPLIANT',
        annotation: /^Exception: public read-only catalogue, no user data \(expires 2027-03-31\)$/,
      },
      {
        title: 'an expiry in the past → NON_COMPLIANT naming the expiry tag',
        tags: {
          'authn-exception/AppSync.5': JUSTIFICATION,
          'authn-exception-expires/AppSync.5': '2026-10-04',
        },
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Exception tag authn-exception-expires\/AppSync\.5 not honoured: the exception expired on 2026-10-04\. GraphQL API "reviews"/,
      },
      {
        title: 'an impossible calendar date → NON_COMPLIANT naming the expiry tag',
        tags: {
          'authn-exception/AppSync.5': JUSTIFICATION,
          'authn-exception-expires/AppSync.5': '2027-02-30',
        },
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Exception tag authn-exception-expires\/AppSync\.5 not honoured: "2027-02-30" is not a YYYY-MM-DD date/,
      },
      {
        title: 'a justification under 10 characters → NON_COMPLIANT naming the tag',
        tags: { 'authn-exception/AppSync.5': '  ok   ' },
        compliance: 'NON_COMPLIANT',
        annotation:
          /^Exception tag authn-exception\/AppSync\.5 not honoured: the justification must be at least 10 characters/,
      },
      {
        title: 'ExceptionRequiresExpiry with an expiry → COMPLIANT',
        tags: {
          'authn-exception/AppSync.5': JUSTIFICATION,
          'authn-exception-expires/AppSync.5': '2026-12-31',
        },
        settings: { requiresExpiry: true },
        compliance: 'COMPLIANT',
        annotation: /\(expires 2026-12-31\)$/,
      },
      {
        title: 'ExceptionRequiresExpiry without an expiry → NON_COMPLIANT naming the missing tag',
        tags: { 'authn-exception/AppSync.5': JUSTIFICATION },
        settings: { requiresExpiry: true },
        compliance: 'NON_COMPLIANT',
        annotation: /no expiry tag authn-exception-expires\/AppSync\.5 \(ExceptionRequiresExpiry=true\)/,
      },
      {
        title: 'a custom ExceptionTagPrefix is honoured',
        tags: { 'security-exception/AppSync.5': JUSTIFICATION },
        settings: { prefix: 'security-exception' },
        compliance: 'COMPLIANT',
        annotation: /^Exception: public read-only catalogue/,
      },
      {
        title: 'an exception for another control changes nothing',
        tags: { 'authn-exception/APIGateway.8': JUSTIFICATION },
        compliance: 'NON_COMPLIANT',
        annotation: /^GraphQL API "reviews" relies on API keys only/,
      },
    ];
    for (const row of rows) {
      it(row.title, () => {
        // Prepare
        const settings = { ...EXCEPTIONS, ...row.settings };
        // Act
        const verdict = decide(rule, failing, row.tags, DEFAULTS, settings);
        // Assess
        expect(verdict.compliance).to.equal(row.compliance);
        expect(verdict.annotation).to.match(row.annotation);
      });
    }

    it('never changes a COMPLIANT verdict, even with a malformed exception tag', () => {
      // Prepare
      const facts = api();
      const tags = { 'authn-exception/AppSync.5': 'short', 'authn-exception-expires/AppSync.5': 'soon' };
      // Act
      const verdict = decide(rule, facts, tags, DEFAULTS, EXCEPTIONS);
      // Assess
      expect(verdict).to.deep.equal(rule.evaluate(facts, DEFAULTS));
      expect(verdict.compliance).to.equal('COMPLIANT');
    });
  });

  describe('sweep: ListGraphqlApis', () => {
    let appsync: AwsClientStub<AppSyncClient>;
    const client = new AppSyncClient({ region: REGION });
    beforeEach(() => {
      appsync = mockClient(AppSyncClient);
    });
    afterEach(() => {
      appsync.restore();
    });

    const graphqlApi = (apiId: string, name: string, extra: Partial<GraphqlApi> = {}): GraphqlApi => ({
      apiId,
      name,
      arn: `arn:aws:appsync:${REGION}:${ACCOUNT}:apis/${apiId}`,
      apiType: 'GRAPHQL',
      owner: ACCOUNT,
      visibility: 'GLOBAL',
      uris: { GRAPHQL: `https://${apiId}.appsync-api.${REGION}.amazonaws.com/graphql` },
      tags: {},
      ...extra,
    });

    it('follows nextToken for the current account only and reports each API by its arn', async () => {
      // Prepare
      const first = graphqlApi('bq4t7xk2mnd3lf', 'reviews', {
        authenticationType: 'AMAZON_COGNITO_USER_POOLS',
        additionalAuthenticationProviders: [{ authenticationType: 'AWS_IAM' }],
      });
      const second = graphqlApi('p2n8v4c6rty1ab', 'public-catalog', {
        authenticationType: 'API_KEY',
        apiType: 'MERGED',
      });
      const pages: Record<string, ListGraphqlApisCommandOutput> = {
        first: { graphqlApis: [first], nextToken: 'token-2', $metadata: {} },
        'token-2': { graphqlApis: [second], $metadata: {} },
      };
      const inputs: ListGraphqlApisCommandInput[] = [];
      appsync.on(ListGraphqlApisCommand).callsFake((input: ListGraphqlApisCommandInput) => {
        inputs.push({ ...input });
        return pages[input.nextToken ?? 'first'];
      });
      // Act
      const swept = await rule.sweep(client, CONTEXT);
      // Assess
      expect(inputs.map((input) => input.nextToken)).to.deep.equal([undefined, 'token-2']);
      expect(inputs.every((input) => input.owner === 'CURRENT_ACCOUNT' && input.maxResults === 25)).to.be
        .true;
      expect(
        swept.map((resource) => [resource.resourceType, resource.resourceId, resource.resourceName]),
      ).to.deep.equal([
        ['AWS::AppSync::GraphQLApi', first.arn, 'reviews'],
        ['AWS::AppSync::GraphQLApi', second.arn, 'public-catalog'],
      ]);
      expect(swept.map((resource) => rule.evaluate(resource.facts, DEFAULTS).compliance)).to.deep.equal([
        'COMPLIANT',
        'NON_COMPLIANT',
      ]);
    });

    it('reads the camelCase modes of the API shape, primary and additional', async () => {
      // Prepare
      appsync.on(ListGraphqlApisCommand).resolves({
        graphqlApis: [
          graphqlApi('h3k9m2q7wzx4cd', 'storefront', {
            authenticationType: 'API_KEY',
            additionalAuthenticationProviders: [
              { authenticationType: 'AWS_IAM' },
              { authenticationType: 'OPENID_CONNECT' },
            ],
          }),
        ],
      });
      // Act
      const [resource] = await rule.sweep(client, CONTEXT);
      // Assess
      expect(resource?.facts).to.deep.include({
        apiId: 'h3k9m2q7wzx4cd',
        authenticationType: 'API_KEY',
        additionalAuthenticationTypes: ['AWS_IAM', 'OPENID_CONNECT'],
      });
    });

    it('takes tags inline: an exception applies with no ListTagsForResource call', async () => {
      // Prepare
      appsync.on(ListGraphqlApisCommand).resolves({
        graphqlApis: [
          graphqlApi('p2n8v4c6rty1ab', 'public-catalog', {
            authenticationType: 'API_KEY',
            tags: { 'authn-exception/AppSync.5': 'public read-only catalogue, no user data' },
          }),
        ],
      });
      const [resource] = await rule.sweep(client, CONTEXT);
      // Act
      const verdict = await decideSwept(rule, resource!, DEFAULTS, EXCEPTIONS);
      // Assess
      expect(verdict.compliance).to.equal('COMPLIANT');
      expect(appsync.commandCalls(ListTagsForResourceCommand)).to.have.length(0);
    });
  });
});
