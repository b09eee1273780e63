/**
 * The periodic runtime's cost and time behaviour: only what changed is reported (unless ReportUnchanged), and an
 * invocation that runs short of Lambda time stops with a message rather than a partial report that looks complete.
 */
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
  type EvaluationResult,
} from '@aws-sdk/client-config-service';
import { expect } from 'chai';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { createConfigRuleHandler } from '../../../rules/core/handler';
import { silentLog } from '../../../rules/core/log';
import { scheduledEvent } from '../../helpers/events';
import {
  NOW,
  ROUTE_TYPE,
  fastRetry,
  routeId,
  routeRuleWithSweep,
  serviceClientSpy,
  sweptRoute,
  sweptRoutes,
} from './support';

function heldResult(
  resourceId: string,
  compliance: 'COMPLIANT' | 'NON_COMPLIANT',
  annotation: string,
  recordedAt: Date = NOW,
): EvaluationResult {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: 'authn-rule',
        ResourceType: ROUTE_TYPE,
        ResourceId: resourceId,
      },
    },
    ComplianceType: compliance,
    Annotation: annotation,
    // Recorded just now: not due for refresh (refresh.test.ts covers when it is).
    ResultRecordedTime: recordedAt,
  };
}

const compliantAnnotation = (apiIndex: number, routeIndex: number): string =>
  `Route "GET /items/${routeIndex}" of API "orders-${apiIndex}" (api${apiIndex}) requires JWT authorization.`;

function sent(config: AwsClientStub<ConfigServiceClient>): { id: string; type: string }[] {
  return config
    .commandCalls(PutEvaluationsCommand)
    .flatMap((call) => call.args[0].input.Evaluations ?? [])
    .map((e) => ({ id: e.ComplianceResourceId ?? '', type: e.ComplianceType ?? '' }));
}

describe('rules/core/periodic: reporting only what changed, within Lambda time', () => {
  let config: AwsClientStub<ConfigServiceClient>;

  beforeEach(() => {
    config = mockClient(ConfigServiceClient);
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  });

  afterEach(() => {
    config.restore();
  });

  const run = (
    resources: Parameters<typeof routeRuleWithSweep>[0],
    params: Record<string, string> = {},
    context?: { getRemainingTimeInMillis: () => number },
  ) => {
    const { rule } = routeRuleWithSweep(resources);
    const handler = createConfigRuleHandler(rule, {
      now: () => NOW,
      retry: fastRetry().policy,
      log: silentLog,
      createServiceClient: serviceClientSpy(),
    });
    return handler(scheduledEvent({ ruleParameters: params }), context);
  };

  it('sends nothing for resources whose verdict and annotation Config already holds', async () => {
    // Prepare: Config holds exactly what the sweep finds.
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [0, 1, 2].map((i) =>
        heldResult(routeId(0, i), 'COMPLIANT', compliantAnnotation(0, i)),
      ),
    });
    // Act
    const result = await run(sweptRoutes(3));
    // Assess
    expect(config.commandCalls(PutEvaluationsCommand)).to.have.lengthOf(0);
    expect(result.unchanged).to.equal(3);
    expect(result.delivered).to.equal(0);
  });

  it('sends a resource whose verdict changed, a new one, and a vanished one; not the unchanged', async () => {
    // Prepare: route 0 unchanged, route 1 was COMPLIANT and now fails, route 2 is new, route 9 has vanished.
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        heldResult(routeId(0, 0), 'COMPLIANT', compliantAnnotation(0, 0)),
        heldResult(routeId(0, 1), 'COMPLIANT', compliantAnnotation(0, 1)),
        heldResult(routeId(0, 9), 'NON_COMPLIANT', 'gone'),
      ],
    });
    // Act
    const result = await run([sweptRoute(0, 0), sweptRoute(0, 1, 'NONE'), sweptRoute(0, 2)]);
    // Assess
    expect(sent(config)).to.deep.equal([
      { id: routeId(0, 1), type: 'NON_COMPLIANT' },
      { id: routeId(0, 2), type: 'COMPLIANT' },
      { id: routeId(0, 9), type: 'NOT_APPLICABLE' },
    ]);
    expect(result.unchanged).to.equal(1);
    expect(result.stale).to.equal(1);
  });

  it('re-sends unchanged results recorded more than RefreshAfterDays ago (30 by default), oldest first', async () => {
    // Prepare: route 0 recorded 45 days ago, route 1 31 days ago, route 2 today.
    const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        heldResult(routeId(0, 1), 'COMPLIANT', compliantAnnotation(0, 1), ago(31)),
        heldResult(routeId(0, 0), 'COMPLIANT', compliantAnnotation(0, 0), ago(45)),
        heldResult(routeId(0, 2), 'COMPLIANT', compliantAnnotation(0, 2)),
      ],
    });
    // Act
    const result = await run(sweptRoutes(3));
    // Assess
    expect(sent(config).map((evaluation) => evaluation.id)).to.deep.equal([routeId(0, 0), routeId(0, 1)]);
    expect(result.refreshed).to.equal(2);
    expect(result.unchanged).to.equal(1);
  });

  it('waits longer with RefreshAfterDays=89: a 45-day-old result is re-sent only when its slot has come round', async () => {
    // Prepare: 200 routes all recorded 45 days ago; at 89 days about half of the slots have passed.
    const ago45 = new Date(NOW.getTime() - 45 * 86_400_000);
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: sweptRoutes(200).map((route, index) =>
        heldResult(
          route.resourceId,
          'COMPLIANT',
          compliantAnnotation(Math.floor(index / 40), index % 40),
          ago45,
        ),
      ),
    });
    // Act
    const result = await run(sweptRoutes(200), { RefreshAfterDays: '89' });
    // Assess
    expect(result.refreshed).to.be.within(60, 140);
    expect((result.refreshed ?? 0) + (result.unchanged ?? 0)).to.equal(200);
  });

  it('refuses RefreshAfterDays=90 before any AWS call', async () => {
    // Act
    const outcome = await run(sweptRoutes(1), { RefreshAfterDays: '90' }).then(
      () => 'resolved',
      (error: unknown) => String(error),
    );
    // Assess
    expect(outcome).to.include('RefreshAfterDays: "90" is not a whole number from 1 to 89');
    expect(config.calls()).to.have.lengthOf(0);
  });

  it('sends a resource whose annotation changed although its verdict did not', async () => {
    // Prepare
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [heldResult(routeId(0, 0), 'COMPLIANT', 'an older wording')],
    });
    // Act
    await run([sweptRoute(0, 0)]);
    // Assess
    expect(sent(config)).to.deep.equal([{ id: routeId(0, 0), type: 'COMPLIANT' }]);
  });

  it('re-sends everything with ReportUnchanged=true', async () => {
    // Prepare
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [0, 1].map((i) => heldResult(routeId(0, i), 'COMPLIANT', compliantAnnotation(0, i))),
    });
    // Act
    const result = await run(sweptRoutes(2), { ReportUnchanged: 'true' });
    // Assess
    expect(sent(config)).to.have.lengthOf(2);
    expect(result.unchanged).to.equal(0);
  });

  it('re-sends everything when the held results cannot be read, then fails the invocation', async () => {
    // Prepare
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const outcome = await run(sweptRoutes(2)).then(
      () => 'resolved',
      (error: unknown) => String(error),
    );
    // Assess
    expect(sent(config)).to.have.lengthOf(2);
    expect(outcome).to.include('stale cleanup failed');
  });

  it('stops the sweep with a clear error, reporting nothing, when Lambda time runs short', async () => {
    // Prepare: 100 s budget whose clock jumps to 10 s left when the sweep asks.
    let remaining = 100_000;
    const { rule } = routeRuleWithSweep([]);
    const handler = createConfigRuleHandler(
      {
        ...rule,
        sweep: (_client, context) => {
          remaining = 10_000;
          context.checkpoint?.();
          return Promise.resolve([sweptRoute(0, 0)]);
        },
      },
      { now: () => NOW, retry: fastRetry().policy, log: silentLog, createServiceClient: serviceClientSpy() },
    );
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    // Act
    const outcome = await handler(scheduledEvent(), { getRemainingTimeInMillis: () => remaining }).then(
      () => 'resolved',
      (error: unknown) => String(error),
    );
    // Assess
    expect(outcome).to.match(/IncompleteSweepError: .*ran short of Lambda time/);
    expect(config.commandCalls(PutEvaluationsCommand)).to.have.lengthOf(0);
  });

  it('stops delivering when Lambda time runs short, saying how many evaluations were not delivered', async () => {
    // Prepare: time runs out after the first batch of 100.
    let remaining = 600_000;
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
    config.on(PutEvaluationsCommand).callsFake(() => {
      remaining = 1_000;
      return Promise.resolve({ FailedEvaluations: [] });
    });
    // Act
    const outcome = await run(sweptRoutes(250), {}, { getRemainingTimeInMillis: () => remaining }).then(
      () => 'resolved',
      (error: unknown) => String(error),
    );
    // Assess
    expect(outcome).to.include('could not deliver 150 evaluation(s) (100 delivered)');
    expect(outcome).to.include('ran short of time');
    expect(config.commandCalls(PutEvaluationsCommand)).to.have.lengthOf(1);
  });
});
