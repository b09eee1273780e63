/** The time budget: a sweep stops while there is time to deliver, delivery while there is time to say what was lost. */
import { expect } from 'chai';
import { timeBudget } from '../../../rules/core/time-budget';

describe('rules/core/time-budget', () => {
  it('keeps a quarter of the budget (at most a minute) for delivery and 5% (at most 5 s) to fail loudly', () => {
    // Prepare
    let remaining = 900_000;
    const budget = timeBudget({ getRemainingTimeInMillis: () => remaining });
    // Act and Assess
    remaining = 60_001;
    expect([budget.sweepHasTime(), budget.deliveryHasTime()]).to.deep.equal([true, true]);
    remaining = 59_999;
    expect([budget.sweepHasTime(), budget.deliveryHasTime()]).to.deep.equal([false, true]);
    remaining = 4_999;
    expect([budget.sweepHasTime(), budget.deliveryHasTime()]).to.deep.equal([false, false]);
  });

  it('gives delivery the time left less the reserve for failing loudly', () => {
    // Prepare
    let remaining = 900_000;
    const budget = timeBudget({ getRemainingTimeInMillis: () => remaining });
    // Act
    remaining = 20_000;
    // Assess: 5% of 900 s is 45 s, capped at 5 s.
    expect(budget.deliveryMsLeft()).to.equal(15_000);
  });

  it('has no limit outside Lambda (no context)', () => {
    // Act
    const budget = timeBudget(undefined);
    // Assess
    expect([
      budget.sweepHasTime(),
      budget.deliveryHasTime(),
      budget.remainingMs(),
      budget.deliveryMsLeft(),
    ]).to.deep.equal([true, true, undefined, undefined]);
  });
});
