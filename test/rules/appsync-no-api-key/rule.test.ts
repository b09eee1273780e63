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
import { decideSwept } from '../../../rules/core/decide';
import { ParameterError } from '../../../rules/core/errors';
import { parseParameters } from '../../../rules/core/parameters';
import type { ConfigurationItem } from '../../../rules/core/types';
import { changeEventFor, loadConfigurationItem } from '../../fixtures/config-items';
import { RuleTester, SWEEP_CONTEXT, testExceptions } from '../../helpers/rule-tester';
import { ACCOUNT, REGION } from '../../helpers/events';

const FOLDER = 'appsync-no-api-key';
const TODAY = '2026-10-05';
const EXCEPTIONS = testExceptions(TODAY);
const CONTEXT = SWEEP_CONTEXT;
/** The rule's own defaults, read the way the handler reads them. */
const DEFAULTS = parseParameters(rule.parameters, {}).rule;
const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });

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
    tester.run({
      valid: [
        {
          title: 'Cognito user pools only → COMPLIANT',
          facts: api(),
          code: 'appsync-modes-allowed',
          annotation: /^GraphQL API "reviews" authenticates callers with AMAZON_COGNITO_USER_POOLS\.$/,
        },
        {
          title: 'AWS_IAM primary → COMPLIANT',
          facts: api({ authenticationType: 'AWS_IAM' }),
          code: 'appsync-modes-allowed',
          annotation: /with AWS_IAM/,
        },
        {
          title: 'OPENID_CONNECT primary → COMPLIANT',
          facts: api({ authenticationType: 'OPENID_CONNECT' }),
          code: 'appsync-modes-allowed',
          annotation: /with OPENID_CONNECT/,
        },
        {
          title: 'AWS_LAMBDA primary beside AWS_IAM → COMPLIANT',
          facts: api({ authenticationType: 'AWS_LAMBDA', additionalAuthenticationTypes: ['AWS_IAM'] }),
          code: 'appsync-modes-allowed',
          annotation: /with AWS_LAMBDA, AWS_IAM/,
        },
      ],
      invalid: [
        {
          title:
            'API_KEY primary beside an allowed additional mode → NON_COMPLIANT, the strong mode is already there',
          facts: api({ authenticationType: 'API_KEY', additionalAuthenticationTypes: ['AWS_IAM'] }),
          code: 'appsync-api-key-additional',
          annotation:
            /^GraphQL API "reviews" accepts API keys beside AWS_IAM\. The strong mode is already there: move clients to it, then remove API_KEY/,
        },
        {
          title:
            'allowed primary with API_KEY as an additional mode → NON_COMPLIANT, the strong mode is already there',
          facts: api({ additionalAuthenticationTypes: ['API_KEY'] }),
          code: 'appsync-api-key-additional',
          annotation: /accepts API keys beside AMAZON_COGNITO_USER_POOLS\. The strong mode is already there/,
        },
        {
          title: 'API_KEY as the only mode → NON_COMPLIANT, an authenticated mode must be added first',
          facts: api({ authenticationType: 'API_KEY' }),
          code: 'appsync-api-key-only',
          annotation:
            /^GraphQL API "reviews" relies on API keys only\. Add an authenticated mode \(Cognito, IAM, OIDC or Lambda\) first/,
        },
        {
          title: 'missing primary type → NON_COMPLIANT',
          facts: api({ authenticationType: undefined }),
          code: 'appsync-primary-mode-unreadable',
          annotation: /has no readable primary authentication type/,
        },
        {
          title: 'an additional provider without a type → NON_COMPLIANT',
          facts: api({ additionalAuthenticationTypes: ['AWS_IAM', undefined] }),
          code: 'appsync-additional-mode-unreadable',
          annotation: /additional authentication provider without a readable type/,
        },
      ],
    });

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
    tester.run({
      valid: [
        {
          title: 'API_KEY when the list allows it → COMPLIANT',
          params: { AllowedAuthorizationTypes: 'API_KEY,AWS_IAM' },
          facts: api({ authenticationType: 'API_KEY' }),
          code: 'appsync-modes-allowed',
          annotation: /with API_KEY/,
        },
      ],
      invalid: [
        {
          title: 'a primary mode outside the list → NON_COMPLIANT naming it',
          params: { AllowedAuthorizationTypes: 'AWS_IAM' },
          facts: api(),
          code: 'appsync-mode-not-allowed',
          annotation: /uses AMAZON_COGNITO_USER_POOLS, outside AllowedAuthorizationTypes \(AWS_IAM\)/,
        },
        {
          title: 'an additional mode outside the list → NON_COMPLIANT naming it',
          params: { AllowedAuthorizationTypes: 'AMAZON_COGNITO_USER_POOLS' },
          facts: api({ additionalAuthenticationTypes: ['OPENID_CONNECT'] }),
          code: 'appsync-mode-not-allowed',
          annotation: /uses OPENID_CONNECT, outside AllowedAuthorizationTypes/,
        },
        {
          title: 'API_KEY beside an allowed mode and another disallowed one → NON_COMPLIANT naming both',
          params: { AllowedAuthorizationTypes: 'AWS_IAM' },
          facts: api({
            authenticationType: 'API_KEY',
            additionalAuthenticationTypes: ['AWS_IAM', 'OPENID_CONNECT'],
          }),
          code: 'appsync-api-key-additional',
          annotation: /beside AWS_IAM\..*It also uses OPENID_CONNECT, outside AllowedAuthorizationTypes/,
        },
      ],
    });
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
    const handle = tester.runChangeHandler({
      folder: FOLDER,
      now: new Date(`${TODAY}T17:00:00Z`),
      fixtures: [
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
      ],
      exception: {
        fixture: 'noncompliant-api-key-only',
        tags: { 'authn-exception/AppSync.5': 'public read-only catalogue, no user data' },
        annotation: 'Exception: public read-only catalogue, no user data (no expiry)',
      },
      failing: 'noncompliant-api-key-only',
    });

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
  });

  describe('exceptions through decide', () => {
    const failing = api({ authenticationType: 'API_KEY' });
    const JUSTIFICATION = 'public read-only catalogue, no user data';

    tester.runExceptions({
      failing: failing,
      valid: [
        {
          title: 'a resource-level exception with a future expiry → COMPLIANT "Exception: … (expires …)"',
          tags: {
            'authn-exception/AppSync.5': JUSTIFICATION,
            'authn-exception-expires/AppSync.5': '2027-03-31',
          },
          code: 'appsync-api-key-only',
          annotation: /^Exception: public read-only catalogue, no user data \(expires 2027-03-31\)$/,
        },
        {
          title: 'ExceptionRequiresExpiry with an expiry → COMPLIANT',
          tags: {
            'authn-exception/AppSync.5': JUSTIFICATION,
            'authn-exception-expires/AppSync.5': '2026-12-31',
          },
          settings: { requiresExpiry: true },
          code: 'appsync-api-key-only',
          annotation: /\(expires 2026-12-31\)$/,
        },
        {
          title: 'a custom ExceptionTagPrefix is honoured',
          tags: { 'security-exception/AppSync.5': JUSTIFICATION },
          settings: { prefix: 'security-exception' },
          code: 'appsync-api-key-only',
          annotation: /^Exception: public read-only catalogue/,
        },
      ],
      invalid: [
        ...tester.conventionCases({
          justification: JUSTIFICATION,
          expired: '2026-10-04',
          unreadableExpiry: '2027-02-30',
          shortJustification: '  ok   ',
          otherControl: 'APIGateway.8',
          failingCode: 'appsync-api-key-only',
          failingAnnotation: /^GraphQL API "reviews" relies on API keys only/,
        }),
      ],
      untouched: [
        {
          title: 'never changes a COMPLIANT verdict, even with a malformed exception tag',
          facts: api(),
          compliance: 'COMPLIANT',
          tags: [{ 'authn-exception/AppSync.5': 'short', 'authn-exception-expires/AppSync.5': 'soon' }],
        },
      ],
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
