import { expect } from 'chai';
import sinon from 'sinon';
import {
  DEFAULT_RETRY,
  backoffDelay,
  isRetryable,
  withRetries,
  type RetryPolicy,
} from '../../../rules/core/retry';
import { awsError, fastRetry, rejectionOf } from './support';

describe('rules/core/retry', () => {
  describe('isRetryable', () => {
    const throttlingNames = [
      'ThrottlingException',
      'Throttling',
      'ThrottledException',
      'TooManyRequestsException',
      'RequestLimitExceeded',
      'RequestThrottled',
      'RequestThrottledException',
      'ProvisionedThroughputExceededException',
      'LimitExceededException',
      'SlowDown',
    ];
    for (const name of throttlingNames) {
      it(`retries ${name}`, () => {
        // Act and Assess
        expect(isRetryable(awsError(name, 'Rate exceeded', 400))).to.be.true;
      });
    }

    it('retries any 5xx service error', () => {
      // Act and Assess
      for (const status of [500, 502, 503, 504]) {
        expect(isRetryable(awsError('InternalFailure', 'oops', status)), String(status)).to.be.true;
      }
    });

    it('retries HTTP 429 whatever the error name', () => {
      // Act and Assess
      expect(isRetryable(awsError('SomethingNew', 'slow down', 429))).to.be.true;
    });

    it('retries what the SDK marks $retryable', () => {
      // Act and Assess
      expect(
        isRetryable(Object.assign(new Error('x'), { name: 'Whatever', $retryable: { throttling: false } })),
      ).to.be.true;
    });

    it('retries network faults and timeouts', () => {
      // Act and Assess
      for (const name of [
        'TimeoutError',
        'RequestTimeout',
        'ECONNRESET',
        'ECONNREFUSED',
        'EPIPE',
        'ETIMEDOUT',
      ]) {
        expect(isRetryable(Object.assign(new Error('socket'), { name })), name).to.be.true;
      }
    });

    it('does not retry AccessDenied or validation errors', () => {
      // Act and Assess
      for (const name of [
        'AccessDenied',
        'AccessDeniedException',
        'ValidationException',
        'InvalidParameterValueException',
      ]) {
        expect(isRetryable(awsError(name, 'no', 400)), name).to.be.false;
      }
      expect(isRetryable(awsError('AccessDeniedException', 'no', 403))).to.be.false;
    });

    it('does not retry plain errors or values that are not errors', () => {
      // Act and Assess
      expect(isRetryable(new Error('bug'))).to.be.false;
      expect(isRetryable(new TypeError('x is undefined'))).to.be.false;
      expect(isRetryable('ThrottlingException')).to.be.false;
      expect(isRetryable(null)).to.be.false;
      expect(isRetryable(undefined)).to.be.false;
    });
  });

  describe('backoffDelay', () => {
    const policy: RetryPolicy = {
      attempts: 6,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      sleep: () => Promise.resolve(),
    };

    afterEach(() => {
      sinon.restore();
    });

    it('grows exponentially with jitter between half and all of the ceiling', () => {
      // Prepare
      const random = sinon.stub(Math, 'random');
      // Act
      random.returns(0);
      const low = [0, 1, 2].map((attempt) => backoffDelay(policy, attempt));
      random.returns(0.999999);
      const high = [0, 1, 2].map((attempt) => backoffDelay(policy, attempt));
      // Assess
      expect(low).to.deep.equal([100, 200, 400]);
      expect(high).to.deep.equal([200, 400, 800]);
    });

    it('never exceeds maxDelayMs', () => {
      // Act and Assess
      for (let attempt = 0; attempt < 20; attempt += 1)
        expect(backoffDelay(policy, attempt)).to.be.at.most(5_000);
    });

    it('is 0 for a policy without delays', () => {
      // Act and Assess
      expect(backoffDelay(fastRetry().policy, 4)).to.equal(0);
    });

    it('defaults to 4 attempts from 250 ms up to 4 s (bounded: the SDK retries under each attempt too)', () => {
      // Act and Assess
      expect(DEFAULT_RETRY).to.include({ attempts: 4, baseDelayMs: 250, maxDelayMs: 4_000 });
    });
  });

  describe('withRetries', () => {
    it('returns the first success after retryable failures, sleeping between attempts', async () => {
      // Prepare
      const { policy, sleep } = fastRetry(4);
      const call = sinon.stub<[], Promise<string>>();
      call.onCall(0).rejects(awsError('ThrottlingException', 'Rate exceeded'));
      call.onCall(1).rejects(awsError('ServiceUnavailable', 'down', 503));
      call.onCall(2).resolves('ok');
      // Act
      const result = await withRetries(policy, call);
      // Assess
      expect(result).to.equal('ok');
      expect(call.callCount).to.equal(3);
      expect(sleep.callCount).to.equal(2);
    });

    it('rethrows a non-retryable error at once', async () => {
      // Prepare
      const { policy, sleep } = fastRetry(4);
      const denied = awsError('AccessDeniedException', 'no');
      const call = sinon.stub<[], Promise<string>>().rejects(denied);
      // Act
      const error = await rejectionOf(withRetries(policy, call));
      // Assess
      expect(error).to.equal(denied);
      expect(call.callCount).to.equal(1);
      expect(sleep.called).to.be.false;
    });

    it('gives up after the attempts with the last error', async () => {
      // Prepare
      const { policy, sleep } = fastRetry(3);
      const last = awsError('ThrottlingException', 'third');
      const call = sinon.stub<[], Promise<string>>();
      call.onCall(0).rejects(awsError('ThrottlingException', 'first'));
      call.onCall(1).rejects(awsError('ThrottlingException', 'second'));
      call.onCall(2).rejects(last);
      // Act
      const error = await rejectionOf(withRetries(policy, call));
      // Assess
      expect(error).to.equal(last);
      expect(call.callCount).to.equal(3);
      expect(sleep.callCount).to.equal(2);
    });

    it('makes one attempt only when attempts is 1', async () => {
      // Prepare
      const { policy } = fastRetry(1);
      const call = sinon.stub<[], Promise<string>>().rejects(awsError('ThrottlingException', 'x'));
      // Act
      await rejectionOf(withRetries(policy, call));
      // Assess
      expect(call.callCount).to.equal(1);
    });
  });
});
