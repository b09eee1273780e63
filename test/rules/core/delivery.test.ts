import {
  ConfigServiceClient,
  PutEvaluationsCommand,
  type PutEvaluationsCommandInput,
} from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import sinon from 'sinon';
import {
  CollectingSink,
  MAX_EVALUATIONS_PER_CALL,
  PutEvaluationsSink,
  chunk,
  evaluationToJson,
  toEvaluation,
  type Evaluation,
} from '../../../rules/core/delivery';
import { DeliveryError, ResourceTypeRejectedError } from '../../../rules/core/errors';
import { awsError, fastRetry, rejectionAs, rejectionOf, throttling, type FastRetry } from './support';

const AT = new Date('2026-10-04T00:00:00.000Z');
const TYPE = 'AWS::ElastiCache::ReplicationGroup';

function evaluations(count: number): Evaluation[] {
  return Array.from({ length: count }, (_, index) =>
    toEvaluation(
      { resourceType: TYPE, resourceId: `rg-${index}` },
      'COMPLIANT',
      `group ${index} uses AUTH`,
      AT,
    ),
  );
}

describe('rules/core/delivery', () => {
  let config: AwsClientStub<ConfigServiceClient>;
  let retry: FastRetry;
  let warn: sinon.SinonSpy;

  const sinkWith = (resultToken = 'token-1'): PutEvaluationsSink =>
    new PutEvaluationsSink({
      client: new ConfigServiceClient({}),
      resultToken,
      retry: retry.policy,
      log: { warn },
    });

  const inputs = (): PutEvaluationsCommandInput[] =>
    config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input);

  beforeEach(() => {
    config = mockClient(ConfigServiceClient);
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
    retry = fastRetry();
    warn = sinon.spy();
  });

  afterEach(() => {
    config.restore();
  });

  describe('toEvaluation', () => {
    it("builds PutEvaluations' shape with the resource type and id as given", () => {
      // Act
      const evaluation = toEvaluation(
        { resourceType: TYPE, resourceId: 'arn:aws:x' },
        'NON_COMPLIANT',
        'bad',
        AT,
      );
      // Assess
      expect(evaluation).to.deep.equal({
        ComplianceResourceType: TYPE,
        ComplianceResourceId: 'arn:aws:x',
        ComplianceType: 'NON_COMPLIANT',
        Annotation: 'bad',
        OrderingTimestamp: AT,
      });
    });

    it('cuts the annotation to 256 characters', () => {
      // Act
      const evaluation = toEvaluation(
        { resourceType: TYPE, resourceId: 'rg' },
        'NON_COMPLIANT',
        'y'.repeat(300),
        AT,
      );
      // Assess
      expect(evaluation.Annotation).to.have.lengthOf(256);
      expect(evaluation.Annotation?.endsWith('...')).to.be.true;
    });

    it('keeps an annotation of exactly 256 characters whole', () => {
      // Act
      const evaluation = toEvaluation(
        { resourceType: TYPE, resourceId: 'rg' },
        'NON_COMPLIANT',
        'z'.repeat(256),
        AT,
      );
      // Assess
      expect(evaluation.Annotation).to.equal('z'.repeat(256));
    });

    it('omits an empty annotation (Config rejects an empty one)', () => {
      // Act
      const evaluation = toEvaluation({ resourceType: TYPE, resourceId: 'rg' }, 'COMPLIANT', '   ', AT);
      // Assess
      expect(evaluation).to.not.have.property('Annotation');
    });
  });

  describe('chunk', () => {
    it('splits into pieces of at most the size, in order, losing nothing', () => {
      // Act
      const pieces = chunk([1, 2, 3, 4, 5], 2);
      // Assess
      expect(pieces).to.deep.equal([[1, 2], [3, 4], [5]]);
    });

    it('returns no pieces for nothing', () => {
      // Act and Assess
      expect(chunk([], 100)).to.deep.equal([]);
    });
  });

  describe('PutEvaluationsSink', () => {
    it('sends at most 100 evaluations a call', async () => {
      // Prepare
      const sink = sinkWith();
      // Act
      await sink.deliver(evaluations(201));
      // Assess
      expect(MAX_EVALUATIONS_PER_CALL).to.equal(100);
      expect(inputs().map((input) => input.Evaluations?.length)).to.deep.equal([100, 100, 1]);
      expect(sink.delivered).to.equal(201);
      expect(sink.calls).to.equal(3);
    });

    it('makes no call for no evaluations', async () => {
      // Prepare
      const sink = sinkWith();
      // Act
      await sink.deliver([]);
      // Assess
      expect(config.calls()).to.have.lengthOf(0);
      expect(sink.delivered).to.equal(0);
    });

    it('passes the result token, and TestMode only for TESTMODE', async () => {
      // Act
      await sinkWith('real-token').deliver(evaluations(1));
      await sinkWith('TESTMODE').deliver(evaluations(1));
      // Assess
      const [real, test] = inputs();
      expect(real?.ResultToken).to.equal('real-token');
      expect(real).to.not.have.property('TestMode');
      expect(test?.ResultToken).to.equal('TESTMODE');
      expect(test?.TestMode).to.equal(true);
    });

    it('retries throttling with back-off and then delivers', async () => {
      // Prepare
      config.on(PutEvaluationsCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves({});
      const sink = sinkWith();
      // Act
      await sink.deliver(evaluations(3));
      // Assess
      expect(inputs()).to.have.lengthOf(3);
      expect(sink.delivered).to.equal(3);
      expect(retry.sleep.callCount).to.equal(2);
      expect(warn.callCount).to.equal(2);
    });

    it('retries a 5xx service error', async () => {
      // Prepare
      config
        .on(PutEvaluationsCommand)
        .rejectsOnce(awsError('InternalFailure', 'oops', 500))
        .resolves({});
      const sink = sinkWith();
      // Act
      await sink.deliver(evaluations(2));
      // Assess
      expect(sink.delivered).to.equal(2);
      expect(inputs()).to.have.lengthOf(2);
    });

    it('resends only the FailedEvaluations', async () => {
      // Prepare
      const batch = evaluations(4);
      config
        .on(PutEvaluationsCommand)
        .resolvesOnce({ FailedEvaluations: [batch[2]!] })
        .resolves({ FailedEvaluations: [] });
      const sink = sinkWith();
      // Act
      await sink.deliver(batch);
      // Assess
      expect(inputs()[1]?.Evaluations).to.deep.equal([batch[2]]);
      expect(sink.delivered).to.equal(4);
    });

    it('resends the whole batch when a failure names nothing that was sent, counting each evaluation once', async () => {
      // Prepare
      const batch = evaluations(3);
      config
        .on(PutEvaluationsCommand)
        .resolvesOnce({
          FailedEvaluations: [
            {
              ComplianceResourceType: TYPE,
              ComplianceResourceId: 'unknown',
              ComplianceType: 'COMPLIANT',
              OrderingTimestamp: AT,
            },
          ],
        })
        .resolves({ FailedEvaluations: [] });
      const sink = sinkWith();
      // Act
      await sink.deliver(batch);
      // Assess
      expect(inputs()[1]?.Evaluations).to.deep.equal(batch);
      expect(sink.delivered).to.equal(3);
    });

    it('keeps sending the batches after one that fails, then rejects with the exact counts', async () => {
      // Prepare
      const all = evaluations(230);
      config.on(PutEvaluationsCommand).callsFake((input: PutEvaluationsCommandInput) =>
        Promise.resolve({
          FailedEvaluations: (input.Evaluations ?? []).filter(
            (evaluation) => evaluation.ComplianceResourceId === 'rg-150',
          ),
        }),
      );
      const sink = sinkWith();
      // Act
      const failure = await rejectionAs(sink.deliver(all), DeliveryError);
      // Assess
      expect(failure.undelivered).to.equal(1);
      expect(failure.delivered).to.equal(100 + 99 + 30);
      expect(failure.message).to.equal(
        `PutEvaluations could not deliver 1 evaluation(s) (229 delivered): FailedEvaluations after 3 attempts: ${TYPE} rg-150`,
      );
      expect(inputs().map((input) => input.Evaluations?.length)).to.deep.equal([100, 100, 1, 1, 30]);
    });

    it('sends the third batch when the second is refused, counting each failed batch', async () => {
      // Prepare: batch 2 of 3 fails validation (not retryable), the others are accepted.
      const all = evaluations(250);
      config
        .on(PutEvaluationsCommand)
        .callsFake((input: PutEvaluationsCommandInput) =>
          input.Evaluations?.[0]?.ComplianceResourceId === 'rg-100'
            ? Promise.reject(awsError('ValidationException', 'a batch Config will not take'))
            : Promise.resolve({ FailedEvaluations: [] }),
        );
      const sink = sinkWith();
      // Act
      const failure = await rejectionAs(sink.deliver(all), DeliveryError);
      // Assess
      expect(inputs()).to.have.lengthOf(3);
      expect(failure.delivered).to.equal(150);
      expect(failure.undelivered).to.equal(100);
      expect(sink.delivered).to.equal(150);
      expect(failure.message).to.equal(
        'PutEvaluations could not deliver 100 evaluation(s) (150 delivered): ValidationException: a batch Config will not take',
      );
    });

    it('says how many batches failed when more than one does', async () => {
      // Prepare: every batch but the first is refused.
      config
        .on(PutEvaluationsCommand)
        .callsFake((input: PutEvaluationsCommandInput) =>
          input.Evaluations?.[0]?.ComplianceResourceId === 'rg-0'
            ? Promise.resolve({ FailedEvaluations: [] })
            : Promise.reject(awsError('ValidationException', 'refused')),
        );
      // Act
      const failure = await rejectionAs(sinkWith().deliver(evaluations(320)), DeliveryError);
      // Assess
      expect(inputs()).to.have.lengthOf(4);
      expect([failure.delivered, failure.undelivered]).to.deep.equal([100, 220]);
      expect(failure.message).to.match(
        /could not deliver 220 evaluation\(s\) \(100 delivered\): ValidationException: refused; 2 more batch\(es\) failed$/,
      );
    });

    it('stops at once on an error no later batch can escape (the result token), counting the rest as not sent', async () => {
      // Prepare
      config
        .on(PutEvaluationsCommand)
        .rejects(awsError('InvalidResultTokenException', 'The result token is invalid.'));
      // Act
      const failure = await rejectionAs(sinkWith().deliver(evaluations(250)), DeliveryError);
      // Assess
      expect(inputs()).to.have.lengthOf(1);
      expect([failure.delivered, failure.undelivered]).to.deep.equal([0, 250]);
      expect(failure.message).to.equal(
        'PutEvaluations could not deliver 250 evaluation(s) (0 delivered): InvalidResultTokenException: The result token is invalid.; 150 not sent after that',
      );
    });

    it('gives each call a timeout of the Lambda time left for delivery, and none outside Lambda', async () => {
      // Prepare
      const timed = new PutEvaluationsSink({
        client: new ConfigServiceClient({}),
        resultToken: 'token-1',
        retry: retry.policy,
        log: { warn },
        callTimeoutMs: () => 1_500.7,
      });
      const timeout = sinon.spy(AbortSignal, 'timeout');
      // Act
      await timed.deliver(evaluations(1));
      await sinkWith().deliver(evaluations(1));
      // Assess
      // aws-sdk-client-mock types a call as the command alone; send's options are its second argument.
      const [first, second] = config
        .commandCalls(PutEvaluationsCommand)
        .map((call) => (call.args as unknown[])[1]);
      expect(timeout.firstCall.args).to.deep.equal([1_500]);
      expect(timeout.callCount).to.equal(1);
      expect(first).to.have.property('abortSignal', timeout.firstCall.returnValue);
      expect(second).to.deep.equal({});
      timeout.restore();
    });

    it('rejects at once on a non-retryable error, with the error in the message and as the cause', async () => {
      // Prepare
      const denied = awsError('AccessDeniedException', 'not authorized to perform config:PutEvaluations');
      config.on(PutEvaluationsCommand).rejects(denied);
      const sink = sinkWith();
      // Act
      const error = await rejectionOf(sink.deliver(evaluations(2)));
      // Assess
      expect(error).to.be.instanceOf(DeliveryError);
      expect(error.message).to.equal(
        'PutEvaluations could not deliver 2 evaluation(s) (0 delivered): AccessDeniedException: not authorized to perform config:PutEvaluations',
      );
      expect(error.cause).to.equal(denied);
      expect(inputs()).to.have.lengthOf(1);
    });

    it('turns "The resource type … is invalid" into ResourceTypeRejectedError naming that type, without retrying', async () => {
      // Prepare
      config
        .on(PutEvaluationsCommand)
        .rejects(
          awsError(
            'InvalidParameterValueException',
            `The resource type ${TYPE} is invalid. Only the following values are permitted: AWS::EC2::EIP`,
          ),
        );
      const sink = sinkWith();
      // Act
      const error = await rejectionAs(sink.deliver(evaluations(2)), ResourceTypeRejectedError);
      // Assess
      expect(error.resourceType).to.equal(TYPE);
      expect(inputs()).to.have.lengthOf(1);
    });

    it('names the type Config rejected, not merely the first of the batch', async () => {
      // Prepare
      const mixed = [
        ...evaluations(1),
        toEvaluation({ resourceType: 'AWS::Other::Thing', resourceId: 'x' }, 'NOT_APPLICABLE', 'gone', AT),
      ];
      config
        .on(PutEvaluationsCommand)
        .rejects(
          awsError(
            'InvalidParameterValueException',
            'The resource type AWS::Other::Thing is invalid. Only the following values are permitted: AWS::EC2::EIP',
          ),
        );
      // Act
      const error = await rejectionAs(sinkWith().deliver(mixed), ResourceTypeRejectedError);
      // Assess
      expect(error.resourceType).to.equal('AWS::Other::Thing');
    });
  });

  describe('CollectingSink and evaluationToJson', () => {
    it('collects without calling Config', async () => {
      // Prepare
      const sink = new CollectingSink();
      // Act
      await sink.deliver(evaluations(2));
      // Assess
      expect(sink.evaluations).to.have.lengthOf(2);
      expect(config.calls()).to.have.lengthOf(0);
    });

    it('prints OrderingTimestamp as an ISO string and leaves out a missing annotation', () => {
      // Act
      const json = evaluationToJson(
        toEvaluation({ resourceType: TYPE, resourceId: 'rg' }, 'COMPLIANT', '', AT),
      );
      // Assess
      expect(json).to.deep.equal({
        ComplianceResourceType: TYPE,
        ComplianceResourceId: 'rg',
        ComplianceType: 'COMPLIANT',
        OrderingTimestamp: '2026-10-04T00:00:00.000Z',
      });
    });
  });
});
