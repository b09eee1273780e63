/** Every query in queries/ keeps to AWS Config's advanced-query subset, says what it answers, and knows our rule names. */
import { expect } from 'chai';
import { RULES } from '../../rules/index';
import { DEFAULT_EXCEPTION_PREFIX, expiryKey, justificationKey } from '../../rules/core/exceptions';
import {
  MAX_EXPRESSION_LENGTH,
  POST_FILTERS,
  checkAdvancedQuery,
  likeMatches,
  likePatterns,
  listQueries,
  loadQuery,
  toExpression,
} from '../../cli/queries';
import { matchPackRule } from '../../cli/rule-names';

const REQUIRED = [
  'appsync-api-key',
  'msk-unauthenticated',
  'dms-mongodb-no-auth',
  'exceptions-tagged',
  'pack-noncompliant',
  'pack-compliance-summary',
];

/** The names a pack rule has where it runs: registry, conformance pack in a member account, organization rule. */
const deployedNames = (ruleName: string): string[] => [
  ruleName,
  `${ruleName}-conformance-pack-ab12cd34`,
  `OrgConfigRule-${ruleName}-x9y8z7`,
];

describe('queries/', () => {
  const queries = listQueries();

  it('holds every question the issue asks for', () => {
    // Act and Assess
    expect(queries.map((query) => query.name)).to.include.members(REQUIRED);
  });

  for (const query of listQueries()) {
    describe(`${query.name}.sql`, () => {
      it('has a header: purpose, what it answers, its limits, and how to run it with our CLI', () => {
        // Act and Assess
        expect(query.purpose, 'Purpose: line').to.have.length.greaterThan(20);
        for (const label of ['Purpose:', 'Answers:', 'Limits:', 'Run:']) {
          expect(
            query.header.some((line) => line.startsWith(label)),
            label,
          ).to.equal(true);
        }
        expect(query.header.join('\n')).to.include(`npx authn-pack query ${query.name} --aggregator`);
      });

      it('keeps to the advanced-query subset', () => {
        // Act
        const problems = checkAdvancedQuery(query.expression);
        // Assess
        expect(problems).to.deep.equal([]);
        expect(query.expression).to.match(/^SELECT /);
        expect(query.expression.length).to.be.at.most(MAX_EXPRESSION_LENGTH);
        expect(query.expression).not.to.include('--');
      });
    });
  }

  describe('pack-noncompliant', () => {
    const query = loadQuery('pack-noncompliant');
    const patterns = likePatterns(query.expression);

    it('matches every registry rule in all its deployed names', () => {
      // Act and Assess
      for (const rule of RULES) {
        for (const name of deployedNames(rule.ruleName)) {
          expect(
            patterns.some((pattern) => likeMatches(pattern, name)),
            name,
          ).to.equal(true);
          expect(matchPackRule(name)?.rule.control, name).to.equal(rule.control);
        }
      }
    });

    it('filters configRuleList to the pack rules that are NON_COMPLIANT (array semantics), dropping rows left empty', () => {
      // Prepare
      const filter = POST_FILTERS['pack-noncompliant'];
      const row = (list: unknown[]) => ({
        accountId: '1',
        configuration: { targetResourceId: 'r', configRuleList: list },
      });
      const ours = {
        configRuleName: 'authn-msk-no-unauthenticated-access-conformance-pack-abc',
        complianceType: 'NON_COMPLIANT',
      };
      const oursPassing = { configRuleName: 'authn-appsync-no-api-key', complianceType: 'COMPLIANT' };
      const foreignFailing = {
        configRuleName: 's3-bucket-versioning-enabled',
        complianceType: 'NON_COMPLIANT',
      };
      const lookalike = {
        configRuleName: 'authn-msk-no-unauthenticated-access-extra',
        complianceType: 'NON_COMPLIANT',
      };
      // Act
      const kept = filter?.(row([ours, oursPassing, foreignFailing, lookalike]));
      const dropped = filter?.(row([oursPassing, foreignFailing]));
      // Assess
      expect(kept).to.deep.equal(row([ours]));
      expect(dropped).to.equal(undefined);
    });
  });

  describe('exceptions-tagged', () => {
    it('matches the exception tags of every control, justification and expiry alike', () => {
      // Prepare
      const [pattern] = likePatterns(loadQuery('exceptions-tagged').expression);
      // Act and Assess
      expect(pattern).to.equal(`${DEFAULT_EXCEPTION_PREFIX}%`);
      for (const rule of RULES) {
        expect(likeMatches(pattern ?? '', justificationKey(DEFAULT_EXCEPTION_PREFIX, rule.control))).to.equal(
          true,
        );
        expect(likeMatches(pattern ?? '', expiryKey(DEFAULT_EXCEPTION_PREFIX, rule.control))).to.equal(true);
      }
      expect(likeMatches(pattern ?? '', 'owner')).to.equal(false);
    });

    it('keeps only the authn-exception* tags of a row', () => {
      // Prepare
      const filter = POST_FILTERS['exceptions-tagged'];
      const tags = [
        { key: 'authn-exception/MSK.6', value: 'legacy producers until the Q2 cut-over' },
        { key: 'authn-exception-expires/MSK.6', value: '2026-12-31' },
        { key: 'team', value: 'payments' },
      ];
      // Act
      const kept = filter?.({ resourceId: 'c', tags });
      // Assess
      expect(kept).to.deep.equal({ resourceId: 'c', tags: tags.slice(0, 2) });
    });
  });

  describe('appsync-api-key', () => {
    it('looks at the primary mode and at every additional provider', () => {
      // Act
      const expression = loadQuery('appsync-api-key').expression;
      // Assess
      expect(expression).to.include(
        "configuration.AuthenticationType = 'API_KEY' OR configuration.AdditionalAuthenticationProviders.AuthenticationType = 'API_KEY'",
      );
    });
  });

  describe('msk-unauthenticated and dms-mongodb-no-auth', () => {
    it('say plainly what they cannot find (no NULL comparisons)', () => {
      // Act and Assess
      expect(loadQuery('msk-unauthenticated').header.join(' ')).to.match(
        /NO ClientAuthentication block.*cannot be found here.*NULL/s,
      );
      expect(loadQuery('dms-mongodb-no-auth').header.join(' ')).to.match(/NO AuthType.*cannot be.*NULL/s);
      expect(loadQuery('msk-unauthenticated').expression).to.include(
        'configuration.ClientAuthentication.Unauthenticated.Enabled = true',
      );
      expect(loadQuery('dms-mongodb-no-auth').expression).to.include(
        "configuration.MongoDbSettings.AuthType = 'no'",
      );
    });
  });
});

describe('cli/queries checkAdvancedQuery', () => {
  const cases: [string, string, RegExp][] = [
    ['JOIN', "SELECT resourceId WHERE resourceType = 'a' JOIN b", /JOIN/],
    ['DISTINCT', 'SELECT DISTINCT resourceId', /DISTINCT/],
    ['FROM', 'SELECT resourceId FROM x', /FROM/],
    ['AS', 'SELECT resourceId AS id', /\bAS\b/],
    ['HAVING', 'SELECT COUNT(*) GROUP BY accountId HAVING COUNT(*) = 1', /HAVING/],
    ['UNION', 'SELECT resourceId UNION SELECT accountId', /UNION/],
    ['ALL', 'SELECT ALL resourceId', /ALL/],
    ['a prefix wildcard', "SELECT resourceId WHERE resourceName LIKE '%pack'", /starts with a wildcard/],
    ['an underscore prefix', "SELECT resourceId WHERE resourceName LIKE '_uthn-%'", /starts with a wildcard/],
    ['a short suffix wildcard', "SELECT resourceId WHERE resourceName LIKE 'au%'", /fewer than 3/],
    ['an inner wildcard', "SELECT resourceId WHERE resourceName LIKE 'authn-%-pack'", /before its end/],
    ['a NULL comparison', 'SELECT resourceId WHERE configuration.x IS NULL', /NULL/],
    ['four GROUP BY properties', 'SELECT COUNT(*) GROUP BY a, b, c, d', /GROUP BY has 4/],
    [
      'two GROUP BY properties sorted on an aggregate',
      'SELECT a, b, COUNT(*) GROUP BY a, b ORDER BY COUNT(*) DESC',
      /limit is 1/,
    ],
    ['no SELECT', "resourceId WHERE resourceType = 'x'", /SELECT/],
    [
      'more than 4096 characters',
      `SELECT resourceId WHERE resourceName = '${'x'.repeat(4100)}'`,
      /limit is 4096/,
    ],
  ];
  for (const [what, expression, problem] of cases) {
    it(`refuses ${what}`, () => {
      // Act
      const problems = checkAdvancedQuery(expression);
      // Assess
      expect(problems.join('; ')).to.match(problem);
    });
  }

  it('does not read keywords or wildcards inside string literals', () => {
    // Act and Assess
    expect(
      checkAdvancedQuery(
        "SELECT resourceId WHERE resourceName = 'FROM a JOIN b %x' AND tags.key LIKE 'authn-exception%'",
      ),
    ).to.deep.equal([]);
    expect(
      checkAdvancedQuery('SELECT resourceId WHERE configuration.fromPort = 22 ORDER BY resourceId ASC'),
    ).to.deep.equal([]);
  });

  it('strips comments to send, but never inside a literal', () => {
    // Act
    const expression = toExpression(
      "-- header\nSELECT resourceId -- what\nWHERE resourceName = 'a -- b'\n  AND   x = 1\n",
    );
    // Assess
    expect(expression).to.equal("SELECT resourceId WHERE resourceName = 'a -- b' AND x = 1");
  });
});
