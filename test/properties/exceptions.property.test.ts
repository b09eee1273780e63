/**
 * Properties of the exception-tag convention: any tag map, key, value or date is read without throwing, and an
 * exception is honoured only with a justification of at least 10 characters and, when there is one (or one is
 * required), a real calendar date that has not passed.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  applyException,
  exceptionExpiry,
  findException,
  formatExceptionAnnotation,
  listExceptionTags,
  parseExceptionAnnotation,
  type ExceptionLookup,
} from '../../rules/core/exceptions';
import { RULES } from '../../rules/index';
import type { Verdict } from '../../rules/core/types';
import { RUNS, COMPLIANCE, assertDeliverableVerdict } from './arbitraries';
import { TODAY, exceptionTags, honourableException, justification, wildTags } from './tags';

const CONTROLS = ['APIGateway.8', 'AppSync.5', 'MSK.6', 'ElastiCache.6', 'DMS.11'];
const qualifierList = fc.option(
  fc.array(
    fc.oneof(fc.constantFrom('r1', 'GET /health', '$default', '', 'a:b'), fc.string({ maxLength: 10 })),
    { maxLength: 3 },
  ),
  {
    nil: undefined,
  },
);
const today = fc.oneof(
  fc.constant(TODAY),
  fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
);

function lookupOrThrow(run: () => ExceptionLookup): ExceptionLookup {
  const lookup = run();
  expect(['none', 'valid', 'invalid']).to.include(lookup.kind);
  return lookup;
}

describe('properties: the exception-tag convention', () => {
  it('findException over tags built from the convention honours exactly the valid, unexpired exceptions', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...CONTROLS)
          .chain((control) =>
            fc.tuple(
              fc.constant(control),
              fc.array(fc.constantFrom('r1', 'GET /health', 'a:b', ''), { maxLength: 2 }),
              fc.boolean(),
            ),
          )
          .chain(([control, qualifiers, qualified]) =>
            fc.tuple(
              fc.constant(control),
              fc.constant(qualified ? qualifiers : undefined),
              exceptionTags(control, qualifiers),
            ),
          ),
        ([control, qualifiers, scenario]) => {
          const lookup = lookupOrThrow(() =>
            findException(scenario.tags, control, qualifiers, {
              prefix: scenario.prefix,
              requiresExpiry: scenario.requiresExpiry,
              today: TODAY,
            }),
          );
          const expected = honourableException(
            scenario.tags,
            control,
            qualifiers,
            scenario.prefix,
            scenario.requiresExpiry,
          );
          expect(lookup.kind === 'valid', JSON.stringify(lookup)).to.equal(expected);
          if (lookup.kind === 'valid') {
            expect(lookup.justification.length).to.be.at.least(10);
            expect(scenario.tags[lookup.tagKey]?.trim()).to.equal(lookup.justification);
            if (lookup.expires !== undefined) expect(lookup.expires >= TODAY).to.equal(true);
          }
          if (lookup.kind === 'invalid') {
            expect(Object.hasOwn(scenario.tags, lookup.tagKey), 'names a tag the resource has').to.equal(
              true,
            );
            expect(lookup.problem).to.match(/\S/);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('findException never throws on arbitrary tag maps, prefixes, controls, qualifiers and dates', () => {
    fc.assert(
      fc.property(
        wildTags,
        fc.oneof(fc.constantFrom(...CONTROLS), fc.string({ maxLength: 12 })),
        qualifierList,
        fc.oneof(fc.constant('authn-exception'), fc.string({ maxLength: 12 })),
        fc.boolean(),
        today,
        (tags, control, qualifiers, prefix, requiresExpiry, day) => {
          const lookup = lookupOrThrow(() =>
            findException(tags, control, qualifiers, { prefix, requiresExpiry, today: day }),
          );
          if (lookup.kind === 'valid') {
            const value: unknown = tags[lookup.tagKey];
            expect(
              typeof value === 'string' && value.trim().length >= 10,
              'justification of 10+ characters',
            ).to.equal(true);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('a justification shorter than 10 characters, or an unreadable or past expiry, is never honoured', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONTROLS),
        justification,
        fc.option(
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.constantFrom('2026-10-03', '2026-02-30', '2026-13-01', TODAY, '2027-01-01'),
          ),
          { nil: undefined },
        ),
        fc.boolean(),
        (control, reason, until, requiresExpiry) => {
          const tags: Record<string, string> = { [`authn-exception/${control}`]: reason };
          if (until !== undefined) tags[`authn-exception-expires/${control}`] = until;
          const lookup = findException(tags, control, undefined, {
            prefix: 'authn-exception',
            requiresExpiry,
            today: TODAY,
          });
          const shortReason = reason.trim().length < 10;
          const badDate =
            until !== undefined &&
            until.trim() !== '' &&
            !(
              /^\d{4}-\d{2}-\d{2}$/.test(until.trim()) &&
              until.trim() >= TODAY &&
              until.trim() !== '2026-02-30' &&
              until.trim() !== '2026-13-01'
            );
          const missingRequired = requiresExpiry && (until === undefined || until.trim() === '');
          if (shortReason || missingRequired) expect(lookup.kind).to.equal('invalid');
          if (badDate) expect(lookup.kind).not.to.equal('valid');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('applyException turns only a NON_COMPLIANT verdict with a valid exception COMPLIANT, as "Exception: …" within 256 characters', () => {
    const verdict = fc.record({
      compliance: fc.constantFrom(...COMPLIANCE),
      code: fc.constantFrom('msk-authentication-none', 'route-authorization-none'),
      annotation: fc
        .oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 250, maxLength: 300 }))
        .filter((text) => text.trim() !== ''),
    });
    const lookup: fc.Arbitrary<ExceptionLookup> = fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc
        .record({
          kind: fc.constant('valid' as const),
          tagKey: fc.string(),
          justification: fc.oneof(
            fc.string({ minLength: 10, maxLength: 30 }),
            fc.string({ minLength: 250, maxLength: 400 }),
          ),
          expires: fc.option(fc.constantFrom(TODAY, '2030-01-01'), { nil: undefined }),
          wide: fc.boolean(),
        })
        .map(({ expires, ...rest }) => (expires === undefined ? rest : { ...rest, expires })),
      fc.record({
        kind: fc.constant('invalid' as const),
        tagKey: fc.string({ maxLength: 300 }),
        problem: fc.string({ minLength: 1 }),
      }),
    );
    fc.assert(
      fc.property(
        verdict,
        lookup,
        fc.option(fc.string(), { nil: undefined }),
        (before: Verdict, found, label) => {
          const after = applyException(before, found, label);
          assertDeliverableVerdict(after);
          if (before.compliance !== 'NON_COMPLIANT' || found.kind === 'none') {
            expect(after).to.deep.equal(before);
          } else if (found.kind === 'invalid') {
            expect(after.compliance).to.equal('NON_COMPLIANT');
            expect(after.code).to.equal('exception-tag-invalid');
            expect(after.annotation).to.match(/^Exception tag /);
          } else {
            expect(after.compliance).to.equal('COMPLIANT');
            expect(after.code, 'an exempted verdict keeps its rule code').to.equal(before.code);
            expect(after.annotation).to.match(/^Exception: /);
            expect(
              after.annotation.length,
              'an exception annotation is written within the limit',
            ).to.be.at.most(256);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('listExceptionTags lists every tag of the convention, and only those, whatever the keys', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant('authn-exception'), fc.string({ minLength: 1, maxLength: 10 })).chain((prefix) =>
          fc.tuple(
            fc.constant(prefix),
            fc.dictionary(
              fc.oneof(
                fc
                  .tuple(
                    fc.constantFrom(`${prefix}/`, `${prefix}-expires/`, '', `x${prefix}/`),
                    fc.string({ maxLength: 20 }),
                  )
                  .map(([head, tail]) => `${head}${tail}`),
                fc.string({ maxLength: 20 }),
              ),
              fc.string({ maxLength: 20 }),
              { maxKeys: 6 },
            ),
          ),
        ),
        ([prefix, tags]) => {
          const listed = listExceptionTags(tags, prefix);
          const expected = Object.keys(tags).filter(
            (key) => key.startsWith(`${prefix}/`) || key.startsWith(`${prefix}-expires/`),
          );
          expect(listed.map((tag) => tag.key)).to.have.members(expected);
          for (const tag of listed) {
            const head = tag.kind === 'expiry' ? `${prefix}-expires/` : `${prefix}/`;
            expect(tag.key).to.equal(
              `${head}${tag.control}${tag.qualifier === undefined ? '' : `/${tag.qualifier}`}`,
            );
            expect(tag.value).to.equal(tags[tag.key]);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parseExceptionAnnotation reads back exactly what formatExceptionAnnotation wrote, for every wide label of the registry', () => {
    const labels = [undefined, ...RULES.map((rule) => rule.wideExceptionLabel)];
    const day = fc
      .date({
        min: new Date('0001-01-01T00:00:00Z'),
        max: new Date('9999-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().slice(0, 10));
    // What findException hands over: a trimmed justification of 10+ characters, any text a tag value can hold.
    const trimmedJustification = fc
      .oneof(
        fc.string({ minLength: 10, maxLength: 60 }),
        fc.string({ minLength: 10, maxLength: 60, unit: 'binary' }),
        fc.constantFrom(
          'legacy producers (phase 2), see SEC-12',
          'ends with what looks like details (expires 2026-01-01)',
          'x (wide, no expiry)',
          'unbalanced ( paren',
          'a line\nbreak inside it',
        ),
        fc.string({ minLength: 230, maxLength: 400 }),
      )
      .map((text) => text.trim())
      .filter((text) => text.length >= 10);
    fc.assert(
      fc.property(
        trimmedJustification,
        fc.option(day, { nil: null }),
        fc.boolean(),
        fc.constantFrom(...labels),
        (justification, expires, wide, label) => {
          const written = formatExceptionAnnotation({ justification, expires, wide }, label);
          const read = parseExceptionAnnotation(written);
          expect(written.length, 'within the annotation limit').to.be.at.most(256);
          expect(read?.expires, written).to.equal(expires);
          expect(read?.wide, written).to.equal(wide);
          if (written.startsWith(`Exception: ${justification} (`)) {
            expect(read?.justification, written).to.equal(justification);
          } else {
            // Cut to fit: what is kept is the start of the justification, marked as cut.
            expect(read?.justification.endsWith('...'), written).to.equal(true);
            expect(
              justification.startsWith(read?.justification.slice(0, -3).trimEnd() ?? '?'),
              written,
            ).to.equal(true);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('exceptionExpiry calls a calendar date expired exactly when findException refuses it as past', () => {
    const day = fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('2100-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, today, fc.nat({ max: 400 }), (expires, now, window) => {
        const expiry = exceptionExpiry(expires, now, window);
        const lookup = findException(
          {
            'authn-exception/MSK.6': 'legacy producers until the cut-over',
            'authn-exception-expires/MSK.6': expires,
          },
          'MSK.6',
          undefined,
          { prefix: 'authn-exception', requiresExpiry: false, today: now },
        );
        expect(expiry.state === 'expired', `${expires} at ${now}`).to.equal(expires < now);
        expect(lookup.kind === 'valid').to.equal(expires >= now);
        expect(expiry.state === 'expiring').to.equal(expires >= now && (expiry.daysLeft ?? -1) <= window);
      }),
      { numRuns: RUNS },
    );
  });
});
