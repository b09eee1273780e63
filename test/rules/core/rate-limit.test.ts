import { expect } from 'chai';
import {
  RateLimiter,
  TokenBucket,
  rateLimitFromEnvironment,
  type Clock,
} from '../../../rules/core/rate-limit';

/** A clock that only moves when a waiter sleeps: each sleep advances time by exactly what was asked. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('rules/core/rate-limit', () => {
  describe('TokenBucket', () => {
    it('lets a full burst through at once, then one request per 1/rate seconds', async () => {
      // Prepare
      const clock = fakeClock();
      const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3 }, clock);
      const at: number[] = [];
      // Act
      for (let i = 0; i < 6; i += 1) {
        await bucket.take();
        at.push(clock.now());
      }
      // Assess
      expect(at).to.deep.equal([0, 0, 0, 100, 200, 300]);
    });

    it('serves concurrent takers in arrival order and never exceeds rate × time + burst', async () => {
      // Prepare
      const clock = fakeClock();
      const bucket = new TokenBucket({ ratePerSecond: 4, burst: 2 }, clock);
      const order: number[] = [];
      const at: number[] = [];
      // Act
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          bucket.take().then(() => {
            order.push(index);
            at.push(clock.now());
          }),
        ),
      );
      // Assess
      expect(order).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      at.forEach((time, index) => {
        expect(index + 1, `request ${index} at ${time} ms`).to.be.at.most(2 + (time * 4) / 1000 + 1e-9);
      });
      expect(at[9]).to.equal(2000); // 8 requests beyond the burst at 4 a second
    });

    it('refills while idle, but never beyond the burst', async () => {
      // Prepare
      const clock = fakeClock();
      const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2 }, clock);
      await bucket.take();
      await bucket.take();
      await clock.sleep(10_000);
      // Act
      const granted = [bucket.tryTake(), bucket.tryTake(), bucket.tryTake()];
      // Assess
      expect(granted).to.deep.equal([true, true, false]);
      expect(bucket.waitMs()).to.equal(100);
    });

    it('tryTake answers at once and refuses when empty (the server side)', () => {
      // Prepare
      const clock = fakeClock();
      const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1 }, clock);
      // Act and Assess
      expect(bucket.tryTake()).to.equal(true);
      expect(bucket.tryTake()).to.equal(false);
      expect(clock.sleeps).to.deep.equal([]);
    });

    it('refuses a rate or burst that cannot work', () => {
      // Act and Assess
      expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).to.throw(RangeError, /ratePerSecond/);
      expect(() => new TokenBucket({ ratePerSecond: Number.NaN, burst: 1 })).to.throw(RangeError);
      expect(() => new TokenBucket({ ratePerSecond: 5, burst: 0.5 })).to.throw(RangeError, /burst/);
    });

    it('gives up, loudly, on a clock that never advances', async () => {
      // Prepare
      const frozen: Clock = { now: () => 0, sleep: () => Promise.resolve() };
      const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1 }, frozen);
      await bucket.take();
      // Act
      const outcome = await bucket.take().then(
        () => 'took',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      // Assess
      expect(outcome).to.match(/no token after 1,000 waits/);
    });
  });

  describe('RateLimiter', () => {
    it('keeps one bucket per operation by default', async () => {
      // Prepare
      const clock = fakeClock();
      const limiter = new RateLimiter(
        { DescribeA: { ratePerSecond: 1, burst: 1 }, DescribeB: { ratePerSecond: 1, burst: 1 } },
        undefined,
        clock,
      );
      // Act
      await limiter.acquire('DescribeA');
      await limiter.acquire('DescribeB');
      // Assess: B did not wait for A's token
      expect(clock.now()).to.equal(0);
      await limiter.acquire('DescribeA');
      expect(clock.now()).to.equal(1000);
    });

    it('lets operations share a bucket (API Gateway: GetApis and GetRoutes)', async () => {
      // Prepare
      const clock = fakeClock();
      const limiter = new RateLimiter(
        { management: { ratePerSecond: 10, burst: 1 } },
        () => 'management',
        clock,
      );
      // Act
      await limiter.acquire('GetApis');
      await limiter.acquire('GetRoutes');
      await limiter.acquire('GetRoutes');
      // Assess
      expect(clock.now()).to.equal(200);
    });

    it('passes operations without a limit straight through', async () => {
      // Prepare
      const clock = fakeClock();
      const limiter = new RateLimiter({ Limited: { ratePerSecond: 1, burst: 1 } }, undefined, clock);
      // Act
      for (let i = 0; i < 5; i += 1) await limiter.acquire('Unlimited');
      // Assess
      expect(clock.sleeps).to.deep.equal([]);
    });
  });

  describe('rateLimitFromEnvironment', () => {
    const fallback = { ratePerSecond: 10, burst: 10 };

    it('keeps the default when the variable is absent or empty', () => {
      // Act and Assess
      expect(rateLimitFromEnvironment('X_RPS', fallback, {})).to.equal(fallback);
      expect(rateLimitFromEnvironment('X_RPS', fallback, { X_RPS: ' ' })).to.equal(fallback);
    });

    it('takes a positive rate, with one second of it as the burst', () => {
      // Act and Assess
      expect(rateLimitFromEnvironment('X_RPS', fallback, { X_RPS: '4' })).to.deep.equal({
        ratePerSecond: 4,
        burst: 4,
      });
      expect(rateLimitFromEnvironment('X_RPS', fallback, { X_RPS: '0.5' })).to.deep.equal({
        ratePerSecond: 0.5,
        burst: 1,
      });
    });

    it('refuses anything else, naming the variable', () => {
      // Act and Assess
      for (const bad of ['0', '-3', 'fast', 'Infinity']) {
        expect(() => rateLimitFromEnvironment('X_RPS', fallback, { X_RPS: bad })).to.throw(
          RangeError,
          /X_RPS/,
        );
      }
    });
  });
});
