/**
 * Client-side rate limiting: token buckets, one per operation or shared by a group of operations, so a sweep with
 * several calls in flight still sends no more requests per second than the service's quota allows. Bounded
 * concurrency alone does not do this: four GetRoutes calls in flight at 30 ms each are ~130 requests a second,
 * thirteen times API Gateway's management quota (10 a second per account, burst 40).
 */

export interface RateLimit {
  /** Tokens added per second: the sustained request rate. */
  readonly ratePerSecond: number;
  /** Bucket size: how many requests may go at once after a quiet spell. */
  readonly burst: number;
}

/** Time as the buckets see it; tests supply a fake one. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function validate(limit: RateLimit): void {
  if (!(limit.ratePerSecond > 0) || !Number.isFinite(limit.ratePerSecond)) {
    throw new RangeError(`rate limit: ratePerSecond must be a positive number, not ${limit.ratePerSecond}`);
  }
  if (!(limit.burst >= 1) || !Number.isFinite(limit.burst)) {
    throw new RangeError(`rate limit: burst must be at least 1, not ${limit.burst}`);
  }
}

/**
 * A token bucket holding at most `burst` tokens, refilled continuously at `ratePerSecond`; it starts full.
 * `take` waits for a token (callers are served in arrival order); `tryTake` answers at once (a server deciding
 * whether to throttle).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
  ) {
    validate(limit);
    this.tokens = limit.burst;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed * this.limit.ratePerSecond) / 1000);
  }

  /** Takes a token if there is one; never waits. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is there (0 when one is). */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.limit.ratePerSecond);
  }

  /** Waits for a token and takes it. Concurrent callers queue, first come first served. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.takeWhenReady());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async takeWhenReady(): Promise<void> {
    // Each wait is for the exact deficit, so this settles in one or two rounds; the bound is only a safeguard
    // against a clock that does not advance.
    for (let round = 0; round < 1_000; round += 1) {
      const wait = this.waitMs();
      if (wait === 0) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(wait);
    }
    throw new Error('rate limit: no token after 1,000 waits (is the clock advancing?)');
  }
}

/**
 * Buckets by operation name. `bucketOf` maps an operation to the bucket it draws from (default: its own), so
 * operations a service throttles together (API Gateway's GetApis and GetRoutes) can share one. Operations with no
 * configured limit pass straight through.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    limits: Readonly<Record<string, RateLimit>>,
    private readonly bucketOf: (operation: string) => string = (operation) => operation,
    clock: Clock = systemClock,
  ) {
    for (const [name, limit] of Object.entries(limits)) this.buckets.set(name, new TokenBucket(limit, clock));
  }

  /** Waits until `operation` may send one request. */
  acquire(operation: string): Promise<void> {
    return this.buckets.get(this.bucketOf(operation))?.take() ?? Promise.resolve();
  }
}

/**
 * A limit with its rate overridden by an environment variable (requests per second; the burst becomes one second's
 * worth, at least 1). Absent or empty: the default. Anything but a positive number is refused, not ignored.
 */
export function rateLimitFromEnvironment(
  variable: string,
  fallback: RateLimit,
  environment: NodeJS.ProcessEnv = process.env,
): RateLimit {
  const raw = environment[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new RangeError(`${variable} must be a positive number of requests per second, not "${raw}"`);
  }
  return { ratePerSecond: rate, burst: Math.max(1, Math.floor(rate)) };
}
