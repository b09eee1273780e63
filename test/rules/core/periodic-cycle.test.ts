/**
 * The cycle's own rules, with a tiny periodic rule whose sweep is in parts and the in-memory progress store: part keys
 * that cannot serve as a cursor fail the invocation before anything is sent; a part whose exception tags must be read
 * is finished within the sweep's time or left for the next invocation, never decided into the delivery reserve.
 */
import { StartConfigRulesEvaluationCommand } from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { IncompleteSweepError } from '../../../rules/core/errors';
import { MemoryCycleStore } from '../../../rules/core/sweep-progress';
import type { SweepPart, SweptResource } from '../../../rules/core/types';
import { scheduledEvent } from '../../helpers/events';
import { config, handlerOf, installHandlerMocks, putEvaluations } from './handler-harness';
import { rejectionAs, sweptTiny, tinyPeriodicRule, type TinyFacts } from './support';

const FAILING = { compliance: 'NON_COMPLIANT', code: 'tiny-failing', annotation: 'w fails.' } as const;

/** The tiny rule swept in the given parts. */
function partedRule(parts: readonly SweepPart<TinyFacts>[]) {
  return {
    ...tinyPeriodicRule(() => Promise.resolve([])),
    resumableSweep: () => Promise.resolve(parts),
  };
}

const part = (key: string, resources: readonly SweptResource<TinyFacts>[]): SweepPart<TinyFacts> => ({
  key,
  read: () => Promise.resolve(resources),
});

describe('rules/core/periodic-cycle (a sweep in parts over invocations)', () => {
  installHandlerMocks();

  beforeEach(() => {
    config.on(StartConfigRulesEvaluationCommand).resolves({});
  });

  for (const [title, keys, reason] of [
    ['two parts with the same key', ['a', 'b', 'a'], /two parts have the key a/],
    ['a part with an empty key', ['a', ''], /a part has an empty key/],
  ] as const) {
    it(`fails the invocation, sending nothing and giving the lease back, on ${title}`, async () => {
      // Prepare
      const store = new MemoryCycleStore();
      const rule = partedRule(keys.map((key, index) => part(key, [sweptTiny(index, FAILING)])));
      // Act
      const error = await rejectionAs(
        handlerOf(rule, { cycleStore: () => store })(scheduledEvent()),
        IncompleteSweepError,
      );
      // Assess
      expect(error.message).to.match(reason);
      expect(putEvaluations()).to.have.length(0);
      expect((await store.read())?.leaseOwner).to.equal(undefined);
      expect((await store.read())?.cursor).to.equal('');
    });
  }

  it('leaves a part whose tags it has no sweep time left to read for the next invocation, and delivers those before', async () => {
    // Prepare: 10 parts of 2 failing resources; each tag read takes 50 s of a 900 s invocation, the last 60 s are
    // kept for delivery.
    let remaining = 900_000;
    const tagReads: string[] = [];
    const failingWithTags = (index: number): SweptResource<TinyFacts> => ({
      ...sweptTiny(index, FAILING),
      tags: () => {
        tagReads.push(`w${index}`);
        remaining -= 50_000;
        return Promise.resolve({});
      },
    });
    const parts = Array.from({ length: 10 }, (_, index) =>
      part(`k${index}`, [failingWithTags(2 * index), failingWithTags(2 * index + 1)]),
    );
    const store = new MemoryCycleStore();
    const handler = handlerOf(partedRule(parts), { cycleStore: () => store, tagReadConcurrency: 1 });
    // Act
    const first = await handler(scheduledEvent(), { getRemainingTimeInMillis: () => remaining });
    remaining = 900_000;
    const second = await handler(scheduledEvent(), { getRemainingTimeInMillis: () => remaining });
    // Assess: part k8 starts with 100 s left, reads w16's tags (50 s left) and stops before w17's: k0…k7 are
    // delivered by the first invocation, k8 and k9 by the second; no resource twice.
    expect(first.staleCleanup).to.equal('deferred: the sweep continues in the next invocation');
    expect(first.evaluations).to.have.length(16);
    expect(second.staleCleanup).to.equal('done');
    expect(second.evaluations).to.have.length(4);
    expect(tagReads.slice(0, 17)).to.deep.equal(Array.from({ length: 17 }, (_, index) => `w${index}`));
    const sent = putEvaluations().map((evaluation) => evaluation.ComplianceResourceId);
    expect(sent).to.have.length(20);
    expect(new Set(sent).size).to.equal(20);
  });
});
