import { expect } from 'chai';
import { mapConcurrent } from '../../../rules/core/concurrency';

describe('rules/core/concurrency', () => {
  it('keeps the input order and never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let peak = 0;
    const task = async (item: number): Promise<number> => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, (7 - item) % 3));
      running -= 1;
      return item * 10;
    };
    // Act
    const results = await mapConcurrent([1, 2, 3, 4, 5, 6, 7], 3, task);
    // Assess
    expect(results).to.deep.equal([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).to.be.at.most(3);
  });

  it('returns nothing for nothing', async () => {
    // Act and Assess
    expect(await mapConcurrent([], 5, () => Promise.resolve(1))).to.deep.equal([]);
  });

  it('rejects when a task rejects', async () => {
    // Act
    let caught: unknown;
    try {
      await mapConcurrent([1, 2], 2, (item) =>
        item === 2 ? Promise.reject(new Error('boom')) : Promise.resolve(item),
      );
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).to.be.instanceOf(Error);
  });
});
