/**
 * A RuleTester for the pack's rules, after typescript-eslint's: a rule's tests are tables of cases, and the tester
 * registers one mocha test per case with the assertions every rule's tests share.
 *
 *     const tester = new RuleTester(rule, { exceptions: EXCEPTIONS });
 *     tester.run({ valid: [{ title, facts, code, annotation }], invalid: [...], notApplicable: [...] });
 *     tester.runExceptions({ failing, valid: [{ title, tags, code, annotation }], invalid: [...], untouched: [...] });
 *     const handle = tester.runChangeHandler({ folder, now, fixtures, exception, deleted });
 *
 * Each case names the verdict's code (one the rule declares, or one core gives) and a pattern its annotation
 * matches; parameters are given as Config passes them (strings), parsed by the rule's own specs.
 */
import { expect } from 'chai';
import { CORE_CODES } from '../../rules/core/codes';
import { decide } from '../../rules/core/decide';
import { DEFAULT_EXCEPTION_PREFIX, type ExceptionSettings } from '../../rules/core/exceptions';
import { createConfigRuleHandler, type InvocationResult } from '../../rules/core/handler';
import { silentLog } from '../../rules/core/log';
import { parseParameters, type ParameterSpecs, type ParameterValues } from '../../rules/core/parameters';
import type {
  Compliance,
  ConfigurationItem,
  RuleDefinition,
  SweepContext,
  Verdict,
} from '../../rules/core/types';
import {
  changeEventFor,
  itEvaluatesFixtures,
  loadConfigurationItem,
  type FixtureRow,
} from '../fixtures/config-items';
import { ACCOUNT, REGION } from './events';

/** The exception settings of a rule's tests: the default prefix, no expiry required, and the tests' clock. */
export const testExceptions = (today: string): ExceptionSettings => ({
  prefix: DEFAULT_EXCEPTION_PREFIX,
  requiresExpiry: false,
  today,
});

/** The account, Region and partition a rule's sweep tests run in. */
export const SWEEP_CONTEXT: SweepContext = { accountId: ACCOUNT, region: REGION, partition: 'aws' };

/** Rule parameters as Config passes them: strings by name; the others take their defaults. */
export type RawParameters = Readonly<Record<string, string>>;

/** One evaluation: the facts, the parameters, and the verdict's code and words. */
export interface VerdictCase<Facts> {
  readonly title: string;
  readonly facts: Facts;
  readonly params?: RawParameters;
  readonly code: string;
  readonly annotation: RegExp;
  /** A pattern the annotation must not match. */
  readonly not?: RegExp;
}

/** `evaluate` over facts: valid cases are COMPLIANT, invalid ones NON_COMPLIANT. */
export interface VerdictTests<Facts> {
  readonly valid?: readonly VerdictCase<Facts>[];
  readonly invalid?: readonly VerdictCase<Facts>[];
  readonly notApplicable?: readonly VerdictCase<Facts>[];
}

/** One decision through the exception convention: tags on the resource (or its parent) and the settings. */
export interface ExceptionCase<Facts> {
  readonly title: string;
  /** The resource, when not the tests' `failing` one. */
  readonly facts?: Facts;
  readonly tags: Readonly<Record<string, string>>;
  readonly settings?: Partial<ExceptionSettings>;
  readonly params?: RawParameters;
  readonly code: string;
  readonly annotation: RegExp;
  /** A pattern the annotation must not match. */
  readonly not?: RegExp;
}

/** The exception tags that never exempt, with the values a rule's tests give them. */
export interface ConventionCases {
  /** A justification of at least 10 characters. */
  readonly justification: string;
  /** An expiry before the tester's `today` (today itself has expired: the tag gives the last day before it). */
  readonly expired: string;
  /** An expiry that is no YYYY-MM-DD calendar date. */
  readonly unreadableExpiry: string;
  /** A justification under 10 characters (after trimming). */
  readonly shortJustification: string;
  /** Another control, whose exception tag must change nothing. */
  readonly otherControl: string;
  /** The failing resource's own verdict, which that other tag leaves as it is. */
  readonly failingCode: string;
  readonly failingAnnotation: RegExp;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A verdict that no tags change: `decide` gives exactly what `evaluate` gives, for each set of tags. */
export interface UntouchedCase<Facts> {
  readonly title: string;
  readonly facts: Facts;
  readonly compliance: Compliance;
  readonly tags: readonly Readonly<Record<string, string>>[];
  readonly params?: RawParameters;
}

/** `decide` over a failing resource: valid cases are exempted (COMPLIANT), invalid ones stay NON_COMPLIANT. */
export interface ExceptionTests<Facts> {
  /** The resource of every case that names none. */
  readonly failing?: Facts;
  readonly valid?: readonly ExceptionCase<Facts>[];
  readonly invalid?: readonly ExceptionCase<Facts>[];
  readonly untouched?: readonly UntouchedCase<Facts>[];
}

/** The real handler on change notifications carrying the rule's configuration item fixtures (dry run). */
export interface ChangeHandlerTests {
  /** Folder under test/fixtures/ (the rule's folder). */
  readonly folder: string;
  /** The invocation's clock. */
  readonly now: Date;
  readonly fixtures: readonly FixtureRow[];
  /** A failing fixture, the exception tags added to its CI's tags, and the annotation the exemption gives. */
  readonly exception: {
    readonly fixture: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly annotation: string;
  };
  /** A failing fixture, reported deleted (configuration null) and as having left the scope. */
  readonly failing: string;
}

export class RuleTester<Facts, Client, Params extends ParameterSpecs> {
  private readonly codes: ReadonlySet<string>;

  constructor(
    readonly rule: RuleDefinition<Facts, Client, Params>,
    private readonly options: { readonly exceptions: ExceptionSettings },
  ) {
    this.codes = new Set<string>([...rule.codes, ...Object.values(CORE_CODES)]);
  }

  /**
   * The exception convention's invalid cases every rule shares, for `runExceptions({ invalid })`: an expired or
   * unreadable expiry, a short justification, a missing expiry when one is required (each NON_COMPLIANT with
   * `exception-tag-invalid`, naming the tag), and another control's tag (the failing verdict unchanged).
   */
  conventionCases(cases: ConventionCases): ExceptionCase<Facts>[] {
    const prefix = this.options.exceptions.prefix;
    const tag = `${prefix}/${this.rule.control}`;
    const expiryTag = `${prefix}-expires/${this.rule.control}`;
    const notHonoured = (name: string): string => `^Exception tag ${escape(name)} not honoured: `;
    const invalid = CORE_CODES.exceptionTagInvalid;
    return [
      {
        title: 'an expiry in the past → NON_COMPLIANT naming the expiry tag',
        tags: { [tag]: cases.justification, [expiryTag]: cases.expired },
        code: invalid,
        annotation: new RegExp(`${notHonoured(expiryTag)}the exception expired on ${escape(cases.expired)}`),
      },
      {
        title: 'an unreadable expiry → NON_COMPLIANT naming the expiry tag',
        tags: { [tag]: cases.justification, [expiryTag]: cases.unreadableExpiry },
        code: invalid,
        annotation: new RegExp(
          `${notHonoured(expiryTag)}"${escape(cases.unreadableExpiry)}" is not a YYYY-MM-DD date`,
        ),
      },
      {
        title: 'a justification under 10 characters → NON_COMPLIANT naming the tag',
        tags: { [tag]: cases.shortJustification },
        code: invalid,
        annotation: new RegExp(`${notHonoured(tag)}the justification must be at least 10 characters`),
      },
      {
        title: 'ExceptionRequiresExpiry without an expiry → NON_COMPLIANT naming the missing tag',
        tags: { [tag]: cases.justification },
        settings: { requiresExpiry: true },
        code: invalid,
        annotation: new RegExp(`no expiry tag ${escape(expiryTag)} \\(ExceptionRequiresExpiry=true\\)`),
      },
      {
        title: 'an exception for another control changes nothing',
        tags: { [`${prefix}/${cases.otherControl}`]: cases.justification },
        code: cases.failingCode,
        annotation: cases.failingAnnotation,
      },
    ];
  }

  /** The rule's parameter values from raw ones, as the handler parses them. */
  params(raw: RawParameters = {}): ParameterValues<Params> {
    return parseParameters(this.rule.parameters, raw).rule;
  }

  /** One test per case: `evaluate` gives the case's compliance, code and annotation. */
  run(tests: VerdictTests<Facts>): void {
    const groups: [Compliance, readonly VerdictCase<Facts>[] | undefined][] = [
      ['COMPLIANT', tests.valid],
      ['NON_COMPLIANT', tests.invalid],
      ['NOT_APPLICABLE', tests.notApplicable],
    ];
    for (const [compliance, cases] of groups) {
      for (const testCase of cases ?? []) {
        it(testCase.title, () => {
          // Prepare
          const values = this.params(testCase.params);
          // Act
          const verdict = this.rule.evaluate(testCase.facts, values);
          // Assess
          this.assertVerdict(verdict, compliance, testCase.code, testCase.annotation);
          if (testCase.not !== undefined) expect(verdict.annotation).not.to.match(testCase.not);
        });
      }
    }
  }

  /** One test per case: `decide` with the case's tags and settings gives its compliance, code and annotation. */
  runExceptions(tests: ExceptionTests<Facts>): void {
    const groups: [Compliance, readonly ExceptionCase<Facts>[] | undefined][] = [
      ['COMPLIANT', tests.valid],
      ['NON_COMPLIANT', tests.invalid],
    ];
    for (const [compliance, cases] of groups) {
      for (const testCase of cases ?? []) {
        it(testCase.title, () => {
          // Prepare
          const settings = { ...this.options.exceptions, ...testCase.settings };
          const facts = testCase.facts ?? tests.failing;
          if (facts === undefined) throw new Error(`${testCase.title}: no facts, and no failing resource`);
          // Act
          const verdict = decide(this.rule, facts, testCase.tags, this.params(testCase.params), settings);
          // Assess
          this.assertVerdict(verdict, compliance, testCase.code, testCase.annotation);
          if (testCase.not !== undefined) expect(verdict.annotation).not.to.match(testCase.not);
          if (compliance === 'COMPLIANT') expect(verdict.annotation).to.match(/^Exception: /);
        });
      }
    }
    for (const testCase of tests.untouched ?? []) {
      it(testCase.title, () => {
        // Prepare
        const values = this.params(testCase.params);
        const plain = this.rule.evaluate(testCase.facts, values);
        // Act
        const decided = testCase.tags.map((tags) =>
          decide(this.rule, testCase.facts, tags, values, this.options.exceptions),
        );
        // Assess
        expect(plain.compliance).to.equal(testCase.compliance);
        for (const verdict of decided) expect(verdict).to.deep.equal(plain);
      });
    }
  }

  /**
   * The rule's real handler (dry run) on its fixtures, then on a failing one with exception tags, deleted, and
   * out of scope. Returns the handler, for the rule's own handler tests.
   */
  runChangeHandler(tests: ChangeHandlerTests): (event: unknown) => Promise<InvocationResult> {
    const handle = createConfigRuleHandler(this.rule, {
      dryRun: true,
      log: silentLog,
      now: () => tests.now,
    });
    itEvaluatesFixtures(handle, tests.folder, this.rule.resourceType, tests.fixtures);

    it('honours an exception tag from the CI tags map: COMPLIANT with "Exception: …"', async () => {
      // Prepare
      const base = loadConfigurationItem(tests.folder, tests.exception.fixture);
      const item: ConfigurationItem = { ...base, tags: { ...base.tags, ...tests.exception.tags } };
      // Act
      const result = await handle(changeEventFor(item));
      // Assess
      expect(result.evaluations).to.have.length(1);
      expect(result.evaluations[0]).to.include({
        ComplianceType: 'COMPLIANT',
        Annotation: tests.exception.annotation,
      });
    });

    it('reports a deleted resource (configuration null) NOT_APPLICABLE, without reading its configuration', async () => {
      // Prepare
      const base = loadConfigurationItem(tests.folder, tests.failing);
      const item: ConfigurationItem = {
        ...base,
        configuration: null,
        tags: {},
        configurationItemStatus: 'ResourceDeleted',
      };
      // Act
      const result = await handle(changeEventFor(item));
      // Assess
      expect(result.evaluations).to.have.length(1);
      expect(result.evaluations[0]).to.include({
        ComplianceResourceId: item.resourceId,
        ComplianceType: 'NOT_APPLICABLE',
      });
    });

    it('reports NOT_APPLICABLE when the event left the scope, even for a failing resource', async () => {
      // Prepare
      const item = loadConfigurationItem(tests.folder, tests.failing);
      // Act
      const result = await handle(changeEventFor(item, { eventLeftScope: true }));
      // Assess
      expect(result.evaluations).to.have.length(1);
      expect(result.evaluations[0]?.ComplianceType).to.equal('NOT_APPLICABLE');
    });

    return handle;
  }

  private assertVerdict(verdict: Verdict, compliance: Compliance, code: string, annotation: RegExp): void {
    expect(verdict.compliance).to.equal(compliance);
    expect(verdict.code).to.equal(code);
    expect(
      this.codes.has(verdict.code),
      `${verdict.code} is declared by ${this.rule.control} or core`,
    ).to.equal(true);
    expect(verdict.annotation).to.match(annotation);
  }
}
