import { expect } from 'chai';
import {
  DEFAULT_EXCEPTION_PREFIX,
  applyException,
  exceptionExpiry,
  expiryKey,
  findException,
  formatExceptionAnnotation,
  justificationKey,
  listExceptionTags,
  needsAttention,
  parseExceptionAnnotation,
  todayUtc,
  type ExceptionLookup,
  type ExceptionSettings,
} from '../../../rules/core/exceptions';
import type { Verdict } from '../../../rules/core/types';

const TODAY = '2026-10-04';
const SETTINGS: ExceptionSettings = { prefix: DEFAULT_EXCEPTION_PREFIX, requiresExpiry: false, today: TODAY };
const FAILING: Verdict = {
  compliance: 'NON_COMPLIANT',
  code: 'msk-authentication-none',
  annotation: 'Cluster "clickstream" accepts unauthenticated clients.',
};
const JUSTIFICATION = 'legacy producers until the Q2 cut-over';

const find = (tags: Record<string, string>, settings: ExceptionSettings = SETTINGS): ExceptionLookup =>
  findException(tags, 'MSK.6', undefined, settings);

describe('rules/core/exceptions', () => {
  describe('tag keys and today', () => {
    it('builds justification and expiry keys with and without a qualifier', () => {
      // Act and Assess
      expect(justificationKey('authn-exception', 'MSK.6')).to.equal('authn-exception/MSK.6');
      expect(expiryKey('authn-exception', 'MSK.6')).to.equal('authn-exception-expires/MSK.6');
      expect(justificationKey('authn-exception', 'APIGateway.8', 'GET /health')).to.equal(
        'authn-exception/APIGateway.8/GET /health',
      );
      expect(expiryKey('authn-exception', 'APIGateway.8', 'a1b2c3')).to.equal(
        'authn-exception-expires/APIGateway.8/a1b2c3',
      );
    });

    it('takes today in UTC, whatever the local time', () => {
      // Act and Assess
      expect(todayUtc(new Date('2026-10-04T23:59:59.999Z'))).to.equal('2026-10-04');
      expect(todayUtc(new Date('2026-10-05T00:30:00+02:00'))).to.equal('2026-10-04');
    });
  });

  describe('findException', () => {
    it('finds nothing without a tag for the control', () => {
      // Act and Assess
      expect(find({ team: 'analytics', 'authn-exception/DMS.11': JUSTIFICATION })).to.deep.equal({
        kind: 'none',
      });
    });

    it('finds a valid exception without expiry', () => {
      // Act and Assess
      expect(find({ 'authn-exception/MSK.6': `  ${JUSTIFICATION} ` })).to.deep.equal({
        kind: 'valid',
        tagKey: 'authn-exception/MSK.6',
        justification: JUSTIFICATION,
        wide: false,
      });
    });

    it('keeps an exception expiring today valid (valid through that day, UTC)', () => {
      // Act
      const lookup = find({ 'authn-exception/MSK.6': JUSTIFICATION, 'authn-exception-expires/MSK.6': TODAY });
      // Assess
      expect(lookup).to.deep.include({ kind: 'valid', expires: TODAY });
    });

    it('refuses an exception that expired yesterday, naming the expiry tag', () => {
      // Act
      const lookup = find({
        'authn-exception/MSK.6': JUSTIFICATION,
        'authn-exception-expires/MSK.6': '2026-10-03',
      });
      // Assess
      expect(lookup).to.deep.equal({
        kind: 'invalid',
        tagKey: 'authn-exception-expires/MSK.6',
        problem: 'the exception expired on 2026-10-03',
      });
    });

    it('refuses February 30 as an unreadable date', () => {
      // Act
      const lookup = find({
        'authn-exception/MSK.6': JUSTIFICATION,
        'authn-exception-expires/MSK.6': '2027-02-30',
      });
      // Assess
      expect(lookup).to.deep.equal({
        kind: 'invalid',
        tagKey: 'authn-exception-expires/MSK.6',
        problem: '"2027-02-30" is not a YYYY-MM-DD date',
      });
    });

    it('accepts February 29 of a leap year and refuses it otherwise', () => {
      // Act and Assess
      expect(
        find({ 'authn-exception/MSK.6': JUSTIFICATION, 'authn-exception-expires/MSK.6': '2028-02-29' }).kind,
      ).to.equal('valid');
      expect(
        find({ 'authn-exception/MSK.6': JUSTIFICATION, 'authn-exception-expires/MSK.6': '2027-02-29' }).kind,
      ).to.equal('invalid');
    });

    it('refuses dates in other formats', () => {
      // Act and Assess
      for (const date of [
        '04/10/2026',
        '2026-10-4',
        '2026-13-01',
        '20261004',
        'never',
        '2026-10-04T00:00:00Z',
      ]) {
        const lookup = find({
          'authn-exception/MSK.6': JUSTIFICATION,
          'authn-exception-expires/MSK.6': date,
        });
        expect(lookup.kind, date).to.equal('invalid');
      }
    });

    it('treats an empty expiry tag as no expiry', () => {
      // Act and Assess
      expect(
        find({ 'authn-exception/MSK.6': JUSTIFICATION, 'authn-exception-expires/MSK.6': ' ' }),
      ).to.deep.include({
        kind: 'valid',
      });
    });

    it('refuses a justification shorter than 10 characters, naming the justification tag', () => {
      // Act
      const lookup = find({ 'authn-exception/MSK.6': '  legacy   ' });
      // Assess
      expect(lookup).to.deep.equal({
        kind: 'invalid',
        tagKey: 'authn-exception/MSK.6',
        problem: 'the justification must be at least 10 characters',
      });
    });

    it('accepts a justification of exactly 10 characters', () => {
      // Act and Assess
      expect(find({ 'authn-exception/MSK.6': '0123456789' }).kind).to.equal('valid');
    });

    it('refuses an exception without expiry when ExceptionRequiresExpiry is true', () => {
      // Act
      const lookup = find({ 'authn-exception/MSK.6': JUSTIFICATION }, { ...SETTINGS, requiresExpiry: true });
      // Assess
      expect(lookup).to.deep.equal({
        kind: 'invalid',
        tagKey: 'authn-exception/MSK.6',
        problem: 'it has no expiry tag authn-exception-expires/MSK.6 (ExceptionRequiresExpiry=true)',
      });
    });

    it('honours a custom prefix and then ignores the default one', () => {
      // Prepare
      const settings = { ...SETTINGS, prefix: 'sec-waiver' };
      // Assess
      expect(find({ 'sec-waiver/MSK.6': JUSTIFICATION }, settings).kind).to.equal('valid');
      expect(find({ 'authn-exception/MSK.6': JUSTIFICATION }, settings).kind).to.equal('none');
    });

    describe('qualifiers (APIGateway.8 routes, tags on the API)', () => {
      const qualifiers = ['a1b2c3', 'GET /health'];
      const lookup = (tags: Record<string, string>) =>
        findException(tags, 'APIGateway.8', qualifiers, SETTINGS);

      it('prefers the route id over the route key over the API-wide tag', () => {
        // Prepare
        const apiOnly = { 'authn-exception/APIGateway.8': 'whole API is deliberately public' };
        const withoutId = {
          ...apiOnly,
          'authn-exception/APIGateway.8/GET /health': 'route key exception text',
        };
        const all = { ...withoutId, 'authn-exception/APIGateway.8/a1b2c3': 'route id exception text' };
        // Assess
        expect(lookup(all)).to.deep.include({
          kind: 'valid',
          justification: 'route id exception text',
          wide: false,
        });
        expect(lookup(withoutId)).to.deep.include({
          kind: 'valid',
          justification: 'route key exception text',
          wide: false,
        });
        expect(lookup(apiOnly)).to.deep.include({
          kind: 'valid',
          justification: 'whole API is deliberately public',
          wide: true,
        });
      });

      it('reads the expiry of the qualified tag that matched', () => {
        // Act
        const result = lookup({
          'authn-exception/APIGateway.8/GET /health': 'health checks from the LB',
          'authn-exception-expires/APIGateway.8/GET /health': '2020-01-01',
          'authn-exception-expires/APIGateway.8': '2030-01-01',
        });
        // Assess
        expect(result).to.deep.include({
          kind: 'invalid',
          tagKey: 'authn-exception-expires/APIGateway.8/GET /health',
        });
      });

      it('skips route keys with characters tags cannot hold', () => {
        // Act
        const result = findException(
          { 'authn-exception/APIGateway.8/$connect': 'websocket connect exemption' },
          'APIGateway.8',
          ['r1', '$connect'],
          SETTINGS,
        );
        // Assess
        expect(result.kind).to.equal('none');
      });

      it('ignores an exception for a route that does not match', () => {
        // Act and Assess
        expect(lookup({ 'authn-exception/APIGateway.8/zzz999': 'some other route entirely' }).kind).to.equal(
          'none',
        );
      });
    });
  });

  describe('applyException', () => {
    it('leaves COMPLIANT and NOT_APPLICABLE verdicts alone, whatever the exception', () => {
      // Prepare
      const valid: ExceptionLookup = {
        kind: 'valid',
        tagKey: 'k',
        justification: JUSTIFICATION,
        wide: false,
      };
      const invalid: ExceptionLookup = { kind: 'invalid', tagKey: 'k', problem: 'bad' };
      const passing: Verdict = {
        compliance: 'COMPLIANT',
        code: 'msk-authentication-required',
        annotation: 'ok',
      };
      const skipped: Verdict = { compliance: 'NOT_APPLICABLE', code: 'msk-serverless', annotation: 'n/a' };
      // Assess
      for (const verdict of [passing, skipped]) {
        expect(applyException(verdict, valid)).to.equal(verdict);
        expect(applyException(verdict, invalid)).to.equal(verdict);
      }
    });

    it('leaves a failing verdict alone without an exception', () => {
      // Act and Assess
      expect(applyException(FAILING, { kind: 'none' })).to.equal(FAILING);
    });

    it('exempts a failing verdict: COMPLIANT with "Exception: <justification> (expires …)", keeping its code', () => {
      // Act
      const verdict = applyException(FAILING, {
        kind: 'valid',
        tagKey: 'authn-exception/MSK.6',
        justification: JUSTIFICATION,
        expires: '2026-12-31',
        wide: false,
      });
      // Assess
      expect(verdict).to.deep.equal({
        compliance: 'COMPLIANT',
        code: FAILING.code,
        annotation: `Exception: ${JUSTIFICATION} (expires 2026-12-31)`,
      });
    });

    it('says "no expiry" and the wide label when they apply', () => {
      // Act
      const verdict = applyException(
        FAILING,
        { kind: 'valid', tagKey: 'authn-exception/APIGateway.8', justification: JUSTIFICATION, wide: true },
        'API-wide exception',
      );
      // Assess
      expect(verdict.annotation).to.equal(`Exception: ${JUSTIFICATION} (API-wide exception, no expiry)`);
    });

    it('keeps a verdict with a bad exception NON_COMPLIANT, naming the tag and the problem before the finding', () => {
      // Act
      const verdict = applyException(FAILING, {
        kind: 'invalid',
        tagKey: 'authn-exception-expires/MSK.6',
        problem: 'the exception expired on 2026-10-03',
      });
      // Assess
      expect(verdict).to.deep.equal({
        compliance: 'NON_COMPLIANT',
        code: 'exception-tag-invalid',
        annotation: `Exception tag authn-exception-expires/MSK.6 not honoured: the exception expired on 2026-10-03. ${FAILING.annotation}`,
      });
    });

    it('fits an exempted annotation into 256 characters, keeping the expiry', () => {
      // Act
      const verdict = applyException(FAILING, {
        kind: 'valid',
        tagKey: 'authn-exception/MSK.6',
        justification: 'j'.repeat(400),
        expires: '2026-12-31',
        wide: false,
      });
      // Assess
      expect(verdict.annotation).to.have.lengthOf(256);
      expect(verdict.annotation.startsWith('Exception: jjj')).to.be.true;
      expect(verdict.annotation.endsWith('... (expires 2026-12-31)')).to.be.true;
    });

    it('keeps a justification that exactly fits whole', () => {
      // Prepare
      const suffix = ' (no expiry)';
      const justification = 'k'.repeat(256 - 'Exception: '.length - suffix.length);
      // Act
      const verdict = applyException(FAILING, { kind: 'valid', tagKey: 't', justification, wide: false });
      // Assess
      expect(verdict.annotation).to.equal(`Exception: ${justification}${suffix}`);
      expect(verdict.annotation).to.have.lengthOf(256);
    });

    it('fits a refused exception with a long finding into 256 characters', () => {
      // Act
      const verdict = applyException(
        { compliance: 'NON_COMPLIANT', code: 'msk-authentication-none', annotation: 'f'.repeat(300) },
        {
          kind: 'invalid',
          tagKey: 'authn-exception/MSK.6',
          problem: 'the justification must be at least 10 characters',
        },
      );
      // Assess
      expect(verdict.annotation).to.have.lengthOf(256);
      expect(verdict.annotation.startsWith('Exception tag authn-exception/MSK.6 not honoured')).to.be.true;
    });
  });

  describe('listExceptionTags', () => {
    it('lists justification and expiry tags with their control and qualifier, and nothing else', () => {
      // Act
      const found = listExceptionTags(
        {
          team: 'payments',
          'authn-exception/MSK.6': JUSTIFICATION,
          'authn-exception-expires/MSK.6': '2026-12-31',
          'authn-exception/APIGateway.8/GET /health': 'health checks from the LB',
          'authn-exceptions/MSK.6': 'near miss',
        },
        'authn-exception',
      );
      // Assess
      expect(found).to.deep.equal([
        { key: 'authn-exception/MSK.6', value: JUSTIFICATION, kind: 'justification', control: 'MSK.6' },
        { key: 'authn-exception-expires/MSK.6', value: '2026-12-31', kind: 'expiry', control: 'MSK.6' },
        {
          key: 'authn-exception/APIGateway.8/GET /health',
          value: 'health checks from the LB',
          kind: 'justification',
          control: 'APIGateway.8',
          qualifier: 'GET /health',
        },
      ]);
    });

    it('keeps the rest of the key as the qualifier, slashes included', () => {
      // Act
      const [tag] = listExceptionTags(
        { 'authn-exception/APIGateway.8/GET /a/b': 'nested path exemption' },
        'authn-exception',
      );
      // Assess
      expect(tag).to.deep.include({ control: 'APIGateway.8', qualifier: 'GET /a/b' });
    });

    it('uses the prefix it is given', () => {
      // Act
      const found = listExceptionTags(
        { 'authn-exception/MSK.6': 'x', 'sec/MSK.6': 'y', 'sec-expires/DMS.11': '2026-01-01' },
        'sec',
      );
      // Assess
      expect(found.map((tag) => [tag.key, tag.kind, tag.control])).to.deep.equal([
        ['sec/MSK.6', 'justification', 'MSK.6'],
        ['sec-expires/DMS.11', 'expiry', 'DMS.11'],
      ]);
    });
  });

  describe('exceptionExpiry', () => {
    const NOW = new Date('2026-03-01T12:00:00Z');

    it('counts days in UTC: today is 0, the window is inclusive, yesterday is expired', () => {
      // Act and Assess
      expect(exceptionExpiry('2026-03-01', NOW, 30)).to.deep.equal({ daysLeft: 0, state: 'expiring' });
      expect(exceptionExpiry('2026-03-31', NOW, 30)).to.deep.equal({ daysLeft: 30, state: 'expiring' });
      expect(exceptionExpiry('2026-04-01', NOW, 30)).to.deep.equal({ daysLeft: 31, state: 'valid' });
      expect(exceptionExpiry('2026-02-28', NOW, 30)).to.deep.equal({ daysLeft: -1, state: 'expired' });
      expect(exceptionExpiry(null, NOW, 30)).to.deep.equal({ daysLeft: null, state: 'no-expiry' });
    });

    it('takes the clock as a Date, a timestamp or a day, judging by its UTC day alone', () => {
      // Act and Assess
      for (const asOf of [NOW, '2026-03-01T23:59:59Z', '2026-03-01T00:00:00.000Z', '2026-03-01']) {
        expect(exceptionExpiry('2026-03-02', asOf, 0), String(asOf)).to.deep.equal({
          daysLeft: 1,
          state: 'valid',
        });
      }
    });

    it('says unknown for what is not a calendar date, or without a clock to judge by', () => {
      // Act and Assess
      for (const expires of ['2026-02-30', '2026-13-01', '2026-1-1', 'never', '2026/03/01']) {
        expect(exceptionExpiry(expires, NOW, 30), expires).to.deep.equal({
          daysLeft: null,
          state: 'unknown',
        });
      }
      expect(exceptionExpiry('2026-03-01', 'not a time', 30).state).to.equal('unknown');
    });

    it('counts years before 100 as themselves, not as 19xx', () => {
      // Act and Assess
      expect(exceptionExpiry('0050-01-01', NOW, 30).state).to.equal('expired');
      expect(exceptionExpiry('9999-12-31', NOW, 30).state).to.equal('valid');
    });

    it('needs attention when expiring or expired, and only then', () => {
      // Act and Assess
      expect(
        (['2026-03-10', '2026-02-01', '2027-01-01', null, 'never'] as const).map((expires) =>
          needsAttention(exceptionExpiry(expires, NOW, 30)),
        ),
      ).to.deep.equal([true, true, false, false, false]);
    });
  });

  describe('the exception as an annotation', () => {
    it('parses exactly what the rules write, with and without expiry, resource-wide or not', () => {
      // Prepare
      const wide = applyException(
        { compliance: 'NON_COMPLIANT', code: 'route-authorization-none', annotation: 'x' },
        {
          kind: 'valid',
          tagKey: 'authn-exception/APIGateway.8',
          justification: 'public status API by design',
          expires: '2026-06-30',
          wide: true,
        },
        'API-wide exception',
      ).annotation;
      const written = (justification: string, expires?: string): string =>
        applyException(
          FAILING,
          expires === undefined
            ? { kind: 'valid', tagKey: 'authn-exception/MSK.6', justification, wide: false }
            : { kind: 'valid', tagKey: 'authn-exception/MSK.6', justification, expires, wide: false },
        ).annotation;
      // Act and Assess
      expect(parseExceptionAnnotation(wide)).to.deep.equal({
        justification: 'public status API by design',
        expires: '2026-06-30',
        wide: true,
      });
      expect(
        parseExceptionAnnotation(written('legacy producers (phase 2), see SEC-12', '2026-12-31')),
      ).to.deep.equal({
        justification: 'legacy producers (phase 2), see SEC-12',
        expires: '2026-12-31',
        wide: false,
      });
      expect(parseExceptionAnnotation(written('internal test cluster'))).to.deep.equal({
        justification: 'internal test cluster',
        expires: null,
        wide: false,
      });
      expect(
        parseExceptionAnnotation(
          'Exception: CORS preflight route exempted by ExemptCorsPreflightRoutes=true (Route "OPTIONS /x" of API "a" (b)).',
        )?.expires,
      ).to.equal(null);
      expect(parseExceptionAnnotation('MSK cluster "x" requires client authentication (IAM).')).to.equal(
        undefined,
      );
    });

    it('writes what applyException writes', () => {
      // Prepare
      const lookup = {
        kind: 'valid',
        tagKey: 'authn-exception/APIGateway.8',
        justification: JUSTIFICATION,
        expires: '2026-12-31',
        wide: true,
      } as const;
      // Act and Assess
      expect(formatExceptionAnnotation(lookup, 'API-wide exception')).to.equal(
        applyException(FAILING, lookup, 'API-wide exception').annotation,
      );
      expect(
        formatExceptionAnnotation({ justification: JUSTIFICATION, expires: null, wide: false }),
      ).to.equal(`Exception: ${JUSTIFICATION} (no expiry)`);
    });
  });
});
