/**
 * Properties of the Config rule event parser and of a whole change-triggered invocation (dry run, no AWS call):
 * any input is either a parsed invocation or a MalformedEventError (or, for parameters, a ParameterError) that says
 * what is wrong. No other exception type, and no evaluation Config would refuse.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigRuleEvent, type RuleInvocation } from '../../rules/core/config-event';
import { MalformedEventError, ParameterError } from '../../rules/core/errors';
import { createConfigRuleHandler } from '../../rules/core/handler';
import type { AnyRule } from '../../rules/core/types';
import { RULES, ruleFolder } from '../../rules/index';
import { loadConfigurationItem } from '../fixtures/config-items';
import { changeEvent } from '../helpers/events';
import {
  RUNS,
  anyValue,
  applyMutations,
  assertDeliverableVerdict,
  jsonText,
  mutations,
  type Mutation,
} from './arbitraries';

const EVENTS = join(__dirname, '..', 'fixtures', 'events');

/** A sample event split into its envelope and its decoded `invokingEvent` / `ruleParameters`. */
interface Decoded {
  readonly name: string;
  readonly envelope: Record<string, unknown>;
  readonly invoking: unknown;
  readonly parameters: unknown;
}

function decode(name: string, event: Record<string, unknown>): Decoded {
  const { invokingEvent, ruleParameters, ...envelope } = event;
  return {
    name,
    envelope,
    invoking: JSON.parse(String(invokingEvent)) as unknown,
    parameters: typeof ruleParameters === 'string' ? (JSON.parse(ruleParameters) as unknown) : undefined,
  };
}

const SAMPLES: readonly Decoded[] = readdirSync(EVENTS)
  // Config's notifications only: not a Config API answer, nor the CloudTrail calls the change recorder reads.
  .filter(
    (file) =>
      file.endsWith('.json') &&
      !file.startsWith('get-resource-config-history') &&
      !file.startsWith('cloudtrail-'),
  )
  .map((file) =>
    decode(file, JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as Record<string, unknown>),
  );

/** How a (mutated) decoded field is put back into the envelope: as Config does, or wrongly. */
type Encoding = 'json' | 'object' | 'truncated' | 'garbage' | 'absent' | 'number';
const encoding = fc.constantFrom<Encoding>(
  'json',
  'json',
  'json',
  'json',
  'object',
  'truncated',
  'garbage',
  'absent',
  'number',
);

function encode(value: unknown, how: Encoding, garbage: string): unknown {
  switch (how) {
    case 'json':
      return JSON.stringify(value);
    case 'object':
      return value;
    case 'truncated': {
      const text = jsonText(value) ?? '';
      return text.slice(0, Math.max(0, Math.floor(text.length / 2)));
    }
    case 'garbage':
      return garbage;
    case 'absent':
      return undefined;
    case 'number':
      return 42;
  }
}

interface MutatedEvent {
  readonly sample: string;
  readonly event: Record<string, unknown>;
}

/** A sample event with some fields of its envelope, invoking event and parameters dropped, replaced or mis-encoded. */
const mutatedEvent: fc.Arbitrary<MutatedEvent> = fc.constantFrom(...SAMPLES).chain((sample) =>
  fc
    .record({
      envelope: fc.oneof(fc.constant<Mutation[]>([]), mutations(sample.envelope)),
      invoking: fc.oneof(fc.constant<Mutation[]>([]), mutations(sample.invoking, 4)),
      parameters: fc.oneof(fc.constant<Mutation[]>([]), mutations(sample.parameters ?? {})),
      invokingEncoding: encoding,
      parametersEncoding: encoding,
      garbage: fc.string({ maxLength: 20 }),
    })
    .map(({ envelope, invoking, parameters, invokingEncoding, parametersEncoding, garbage }) => {
      const event: Record<string, unknown> = {
        ...(applyMutations(sample.envelope, envelope) as Record<string, unknown>),
        invokingEvent: encode(applyMutations(sample.invoking, invoking), invokingEncoding, garbage),
      };
      const parametersValue = applyMutations(sample.parameters ?? {}, parameters);
      const encodedParameters = encode(parametersValue, parametersEncoding, garbage);
      if (encodedParameters !== undefined) event.ruleParameters = encodedParameters;
      return { sample: sample.name, event };
    }),
);

/** Parses, and returns the invocation or the MalformedEventError; anything else fails the property. */
function parseOrExplain(event: unknown): RuleInvocation | MalformedEventError {
  try {
    return parseConfigRuleEvent(event);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) {
      throw new Error(`unexplained ${error instanceof Error ? error.name : typeof error}: ${String(error)}`, {
        cause: error,
      });
    }
    return error;
  }
}

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value !== '';
const isTimestamp = (value: unknown): boolean =>
  typeof value === 'string' && !Number.isNaN(new Date(value).getTime());

/** What every parsed invocation guarantees to the evaluator. */
function assertWellFormed(parsed: RuleInvocation): void {
  expect(nonEmpty(parsed.resultToken), 'resultToken').to.equal(true);
  expect(nonEmpty(parsed.configRuleName), 'configRuleName').to.equal(true);
  expect(nonEmpty(parsed.accountId), 'accountId').to.equal(true);
  expect(parsed.eventLeftScope).to.be.a('boolean');
  expect(parsed.ruleParameters).to.be.an('object');
  expect(Array.isArray(parsed.ruleParameters)).to.equal(false);
  if (parsed.kind === 'change') {
    expect(
      nonEmpty(parsed.item.resourceType) && nonEmpty(parsed.item.resourceId),
      'item type and id',
    ).to.equal(true);
    expect(nonEmpty(parsed.item.configurationItemStatus), 'item status').to.equal(true);
    expect(isTimestamp(parsed.item.configurationItemCaptureTime), 'capture time').to.equal(true);
    for (const value of Object.values(parsed.item.tags ?? {})) expect(value).to.be.a('string');
  } else if (parsed.kind === 'oversized') {
    expect(
      nonEmpty(parsed.summary.resourceType) && nonEmpty(parsed.summary.resourceId),
      'summary type and id',
    ).to.equal(true);
    expect(isTimestamp(parsed.summary.configurationItemCaptureTime), 'capture time').to.equal(true);
  } else {
    expect(Number.isNaN(parsed.notificationCreationTime.getTime()), 'notification time').to.equal(false);
  }
}

function assertExplained(error: MalformedEventError): void {
  expect(error.message).to.match(/^Malformed Config rule event: \S/);
}

describe('properties: the Config rule event parser', () => {
  it('parses every sample event Config sends (the generators start from these)', () => {
    for (const sample of SAMPLES) {
      const event = {
        ...sample.envelope,
        invokingEvent: JSON.stringify(sample.invoking),
        ...(sample.parameters === undefined ? {} : { ruleParameters: JSON.stringify(sample.parameters) }),
      };
      expect(() => parseConfigRuleEvent(event), sample.name).not.to.throw();
    }
  });

  it('answers any value at all with an invocation or a MalformedEventError', () => {
    fc.assert(
      fc.property(anyValue, (event) => {
        const outcome = parseOrExplain(event);
        if (outcome instanceof MalformedEventError) assertExplained(outcome);
        else assertWellFormed(outcome);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers an envelope around any JSON text or any string with an invocation or a MalformedEventError', () => {
    const sample = SAMPLES[0];
    if (sample === undefined) throw new Error('no sample events');
    fc.assert(
      fc.property(
        fc.oneof(fc.json({ maxDepth: 3 }), fc.string()),
        fc.option(fc.oneof(fc.json({ maxDepth: 2 }), fc.string())),
        (invokingEvent, ruleParameters) => {
          const outcome = parseOrExplain({
            ...sample.envelope,
            invokingEvent,
            ...(ruleParameters === null ? {} : { ruleParameters }),
          });
          if (outcome instanceof MalformedEventError) assertExplained(outcome);
          else assertWellFormed(outcome);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers a real event with fields dropped, replaced, stringified or badly encoded with an invocation or a MalformedEventError', () => {
    const outcomes = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(mutatedEvent, ({ event }) => {
        const outcome = parseOrExplain(event);
        if (outcome instanceof MalformedEventError) {
          assertExplained(outcome);
          outcomes.refused += 1;
        } else {
          assertWellFormed(outcome);
          outcomes.parsed += 1;
        }
      }),
      { numRuns: RUNS * 2 },
    );
    // The generator exercises both sides (a mutation of an unread field changes nothing).
    expect(outcomes.parsed).to.be.greaterThan(0);
    expect(outcomes.refused).to.be.greaterThan(0);
  });

  it('names the field when a required one is missing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES),
        fc.constantFrom('resultToken', 'configRuleName', 'invokingEvent'),
        (sample, field) => {
          const event: Record<string, unknown> = {
            ...sample.envelope,
            invokingEvent: JSON.stringify(sample.invoking),
          };
          Reflect.deleteProperty(event, field);
          const outcome = parseOrExplain(event);
          expect(outcome).to.be.instanceOf(MalformedEventError);
          expect((outcome as Error).message).to.include(field);
        },
      ),
      { numRuns: 30 },
    );
  });
});

// -----------------------------------------------------------------------------------------------------------------

const CHANGE_RULES = RULES.filter(
  (rule) => rule.trigger.kind === 'change' && rule.fromConfigurationItem !== undefined,
);

function fixtureItems(rule: AnyRule): Record<string, unknown>[] {
  const folder = join(__dirname, '..', 'fixtures', ruleFolder(rule));
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .map(
      (file) =>
        loadConfigurationItem(ruleFolder(rule), file.replace(/\.json$/, '')) as unknown as Record<
          string,
          unknown
        >,
    );
}

const noAwsCall = (): never => {
  throw new Error('a dry run of a change-triggered rule made an AWS call');
};

describe('properties: a change-triggered invocation (dry run) over mutated configuration items', () => {
  for (const rule of CHANGE_RULES) {
    it(`${rule.control}: one deliverable evaluation of the item, or a MalformedEventError / ParameterError`, async () => {
      const handler = createConfigRuleHandler(rule, {
        dryRun: true,
        createConfigClient: noAwsCall,
        createServiceClient: noAwsCall,
        createStsClient: noAwsCall,
        now: () => new Date('2026-10-04T06:30:00.000Z'),
      });
      const items = fixtureItems(rule);
      const outcomes = { evaluated: 0, refused: 0 };
      const parameterValues = fc.dictionary(
        fc.constantFrom(
          ...Object.keys(rule.parameters),
          'ExceptionTagPrefix',
          'ExceptionRequiresExpiry',
          'ExecutionRoleName',
          'Bogus',
        ),
        fc.oneof(
          fc.constantFrom('', 'true', 'false', 'authn-exception', 'AWS_IAM,API_KEY', 'member-role'),
          fc.string({ maxLength: 10 }),
          anyValue,
        ),
        { maxKeys: 2 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...items).chain((item) => fc.tuple(fc.constant(item), mutations(item, 4))),
          fc.option(parameterValues, { freq: 3 }),
          async ([item, changes], parameters) => {
            const mutated = applyMutations(item, changes) as Record<string, unknown>;
            const envelope = changeEvent(
              { resourceType: 'AWS::Any::Thing', resourceId: 'placeholder', configuration: null },
              parameters === null ? {} : { ruleParameters: parameters as Record<string, string> },
            );
            const invoking = JSON.parse(String(envelope.invokingEvent)) as Record<string, unknown>;
            const event = {
              ...envelope,
              invokingEvent: JSON.stringify({ ...invoking, configurationItem: mutated }),
            };
            let result;
            try {
              result = await handler(event);
            } catch (error) {
              if (error instanceof MalformedEventError || error instanceof ParameterError) {
                outcomes.refused += 1;
                return;
              }
              throw error;
            }
            outcomes.evaluated += 1;
            expect(result.evaluations).to.have.length(1);
            const [evaluation] = result.evaluations;
            if (evaluation === undefined) throw new Error('no evaluation');
            assertDeliverableVerdict({
              compliance: evaluation.ComplianceType,
              annotation: evaluation.Annotation ?? '',
            });
            // The item as Config's JSON carries it (a boxed string from the generator arrives as a plain one).
            const sent = JSON.parse(JSON.stringify(mutated)) as {
              resourceType: unknown;
              resourceId: unknown;
            };
            expect(evaluation.ComplianceResourceType).to.equal(sent.resourceType);
            expect(evaluation.ComplianceResourceId).to.equal(sent.resourceId);
            expect(Number.isNaN(evaluation.OrderingTimestamp.getTime())).to.equal(false);
          },
        ),
        { numRuns: 150 },
      );
      expect(outcomes.evaluated).to.be.greaterThan(0);
      expect(outcomes.refused).to.be.greaterThan(0);
    });
  }
});
