/**
 * One hook request → one answer, with the rules' own template adapters and decisions on the resolved properties:
 * the types judged, the adapters and the live reads all come from the registry.
 *
 * - Deletes are never blocked.
 * - A failing resource is FAILED + NonCompliant; a documented exception (the tags of the resource, or of a route's
 *   API) is honoured as everywhere else, expiry included, and said in the SUCCESS message.
 * - Whatever cannot be read is FAILED + InternalFailure with the reason: never SUCCESS by default.
 * - What may still be settling under the same stack operation (a WebSocket API's `$connect` created in parallel, an
 *   API not visible yet) is answered IN_PROGRESS and asked again a few times before a failure is final.
 */
import { CORE_CODES } from '../rules/core/codes';
import { judge } from '../rules/core/decide';
import { describeError } from '../rules/core/errors';
import { applyException, findException, type ExceptionSettings } from '../rules/core/exceptions';
import { TemplateView, type TemplateEvaluation, type TemplateResource } from '../rules/core/template';
import type { AnyRule, Compliance, HookLiveView } from '../rules/core/types';
import type { HookRequest } from './request';
import { joinFindings, maskSecrets, respond, secretValues, type HookResponse } from './response';

/** What the evaluation needs from outside: the rules, their settings, and a client per rule for live reads. */
export interface HookEvaluationContext {
  readonly rules: readonly AnyRule[];
  /** Each rule's parameter values (defaults where unset). */
  readonly parameters: (rule: AnyRule) => Record<string, unknown>;
  readonly exceptions: ExceptionSettings;
  /** The service client a rule's live read uses, with the credentials of the request's account. */
  readonly clientFor: (rule: AnyRule, request: HookRequest, signal: AbortSignal) => Promise<unknown>;
  readonly signal: AbortSignal;
}

/** How often an answer that may still settle is asked again, and how long CloudFormation waits before asking. */
export const SETTLE_INVOCATIONS = 4;
export const SETTLE_DELAY_SECONDS = 10;

interface Finding {
  readonly rule: AnyRule;
  readonly compliance: Compliance;
  readonly text: string;
}

/** `[<control> <rule name>] <logical id> (<resource type>): …` */
function subject(rule: AnyRule, request: HookRequest): string {
  return `[${rule.control} ${rule.ruleName}] ${request.logicalId} (${request.resourceType})`;
}

function qualifiersOf(rule: AnyRule, evaluation: TemplateEvaluation<unknown>): readonly string[] | undefined {
  if (rule.exceptionQualifiers === undefined) return undefined;
  return 'facts' in evaluation ? rule.exceptionQualifiers(evaluation.facts) : (evaluation.qualifiers ?? []);
}

/** The verdict on one evaluation, and the fix when it fails. */
function judgeEvaluation(
  rule: AnyRule,
  evaluation: TemplateEvaluation<unknown>,
  context: HookEvaluationContext,
): { compliance: Compliance; annotation: string; fix?: string } {
  if (!('facts' in evaluation)) {
    // Resolved properties leave little unknown (an OpenAPI body in S3, a value that is no value): fail closed.
    const verdict = applyException(
      {
        compliance: 'NON_COMPLIANT',
        code: CORE_CODES.templateUnverifiable,
        annotation: `${evaluation.resourceName} cannot be verified at deploy: ${evaluation.unverifiable.reason}.`,
      },
      findException(evaluation.tags, rule.control, qualifiersOf(rule, evaluation), context.exceptions),
      rule.wideExceptionLabel,
    );
    return {
      ...verdict,
      ...(verdict.compliance === 'NON_COMPLIANT'
        ? {
            fix:
              evaluation.fix ??
              'set the property to a value the control can read, or document an exception tag',
          }
        : {}),
    };
  }
  const { verdict } = judge(
    rule,
    evaluation.facts,
    evaluation.tags,
    context.parameters(rule),
    context.exceptions,
  );
  return {
    ...verdict,
    ...(verdict.compliance === 'NON_COMPLIANT' && rule.template !== undefined
      ? { fix: evaluation.fix ?? rule.template.fix(evaluation.facts) }
      : {}),
  };
}

function findingText(head: string, judged: { annotation: string; fix?: string }): string {
  return judged.fix === undefined
    ? `${head}: ${judged.annotation}`
    : `${head}: ${judged.annotation} Fix: ${judged.fix}.`;
}

type RuleOutcome =
  | { readonly kind: 'judged'; readonly findings: readonly Finding[]; readonly settling?: string }
  | { readonly kind: 'pending'; readonly rule: AnyRule; readonly reason: string };

async function evaluateRule(
  rule: AnyRule,
  request: HookRequest,
  context: HookEvaluationContext,
): Promise<RuleOutcome> {
  const adapter = rule.template;
  if (adapter === undefined) return { kind: 'judged', findings: [] };
  const head = subject(rule, request);
  const target: TemplateResource = {
    logicalId: request.logicalId,
    type: request.resourceType,
    properties: request.properties,
  };
  let live: HookLiveView = { kind: 'read', target, related: [] };
  const liveRead = rule.hook;
  const elsewhere = liveRead?.judgedElsewhere?.(target);
  if (elsewhere !== undefined) {
    // Not a pass by default: the verdict is given where what decides it is seen, and the message says where.
    return {
      kind: 'judged',
      findings: [{ rule, compliance: 'NOT_APPLICABLE', text: `${head}: ${elsewhere}` }],
    };
  }
  if (liveRead?.resourceTypes.includes(request.resourceType) === true) {
    const client = await context.clientFor(rule, request, context.signal);
    live = await liveRead.read(target, client, context.signal);
  }
  if (live.kind === 'pending') return { kind: 'pending', rule, reason: live.reason };
  const view = new TemplateView({ resources: [live.target, ...live.related], parameters: {} });
  let evaluations = adapter.read(live.target, view);
  const decider = live.decidedBy === undefined ? undefined : view.resource(live.decidedBy);
  if (evaluations.length === 0 && decider !== undefined) {
    // Nothing of its own to judge: what it sets is judged as the resource it decides (an override's $default route).
    evaluations = adapter.read(decider, view);
  }
  if (evaluations.length === 0) {
    return {
      kind: 'judged',
      findings: [
        {
          rule,
          compliance: 'NOT_APPLICABLE',
          text: `${head}: nothing for this control to judge in these properties.`,
        },
      ],
    };
  }
  const findings = evaluations.map((evaluation): Finding => {
    const judged = judgeEvaluation(rule, evaluation, context);
    if (judged.compliance !== 'NOT_APPLICABLE' || live.decidedBy === undefined) {
      return { rule, compliance: judged.compliance, text: findingText(head, judged) };
    }
    // The target's own verdict does not apply: the resource it is reached through decides (a WebSocket route's
    // $connect), with that resource's exceptions.
    const through = decider === undefined ? [] : adapter.read(decider, view);
    const failing = through
      .map((evaluation) => ({ evaluation, judged: judgeEvaluation(rule, evaluation, context) }))
      .find(({ judged }) => judged.compliance === 'NON_COMPLIANT');
    if (failing === undefined)
      return { rule, compliance: judged.compliance, text: findingText(head, judged) };
    return {
      rule,
      compliance: 'NON_COMPLIANT',
      text: findingText(head, {
        annotation: `reached through ${failing.evaluation.resourceName}, which lets anyone in: ${failing.judged.annotation}`,
        ...(failing.judged.fix === undefined ? {} : { fix: failing.judged.fix }),
      }),
    };
  });
  return { kind: 'judged', findings, ...(live.settling === undefined ? {} : { settling: live.settling }) };
}

/** Whether another IN_PROGRESS round is left, and the context that counts it. */
function settleRound(request: HookRequest): { next: number; left: boolean } {
  const counted = request.callbackContext?.authnPackInvocation;
  const current = Math.max(request.invocation, typeof counted === 'number' ? counted : 1);
  return { next: current + 1, left: current < SETTLE_INVOCATIONS };
}

export async function evaluateHookRequest(
  request: HookRequest,
  context: HookEvaluationContext,
): Promise<HookResponse> {
  const token = request.clientRequestToken;
  const secrets = secretValues(request.properties, request.previousProperties);
  const options = { ...(token === undefined ? {} : { token }), secrets };
  if (request.action === 'DELETE') {
    return respond(
      'SUCCESS',
      `authn-pack never blocks a delete (${request.logicalId}, ${request.resourceType}).`,
      options,
    );
  }
  const rules = context.rules.filter((rule) => rule.template?.resourceTypes.includes(request.resourceType));
  if (rules.length === 0) {
    const types = [...new Set(context.rules.flatMap((rule) => rule.template?.resourceTypes ?? []))];
    return respond(
      'SUCCESS',
      `authn-pack judges no ${request.resourceType} resources (it judges ${types.join(', ')}): nothing to check on ${request.logicalId}. Narrow the hook's TargetFilters to those types.`,
      options,
    );
  }
  const findings: Finding[] = [];
  const settling: string[] = [];
  const pending: string[] = [];
  const failures: string[] = [];
  for (const rule of rules) {
    let outcome: RuleOutcome;
    try {
      outcome = await evaluateRule(rule, request, context);
    } catch (error) {
      if (context.signal.aborted) throw error;
      failures.push(
        `${subject(rule, request)}: ${describeError(error)}. Without it the control cannot be judged, so the hook fails closed; check the hook function's role and the service's availability.`,
      );
      continue;
    }
    if (outcome.kind === 'pending') {
      pending.push(`${subject(outcome.rule, request)}: ${outcome.reason}`);
      continue;
    }
    findings.push(...outcome.findings);
    if (outcome.settling !== undefined && outcome.findings.some((f) => f.compliance === 'NON_COMPLIANT')) {
      settling.push(outcome.settling);
    }
  }
  const mask = (parts: readonly string[]): string[] => parts.map((part) => maskSecrets(part, secrets));
  const failing = findings.filter((finding) => finding.compliance === 'NON_COMPLIANT');
  const round = settleRound(request);
  if ((pending.length > 0 || settling.length > 0) && failures.length === 0 && round.left) {
    return respond(
      'IN_PROGRESS',
      `authn-pack: waiting for this stack operation to settle (${[...pending, ...settling].join('; ')}); asking again in ${SETTLE_DELAY_SECONDS} s (call ${round.next} of ${SETTLE_INVOCATIONS}).`,
      {
        ...options,
        callbackContext: { authnPackInvocation: round.next },
        callbackDelaySeconds: SETTLE_DELAY_SECONDS,
      },
    );
  }
  if (failures.length > 0 || pending.length > 0) {
    const stillPending = pending.map(
      (text) => `${text}; still so after ${SETTLE_INVOCATIONS} calls, so the hook fails closed.`,
    );
    return respond(
      'FAILED',
      joinFindings(mask([...failures, ...stillPending, ...failing.map((f) => f.text)])),
      {
        ...options,
        errorCode: 'InternalFailure',
      },
    );
  }
  if (failing.length > 0) {
    return respond('FAILED', joinFindings(mask(failing.map((finding) => finding.text))), {
      ...options,
      errorCode: 'NonCompliant',
    });
  }
  return respond('SUCCESS', joinFindings(mask(findings.map((finding) => finding.text))), options);
}
