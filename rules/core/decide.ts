/**
 * A rule's decision plus the exception convention: the one path every consumer (Lambda, scan, template check)
 * takes from facts and tags to a verdict.
 */
import { CORE_CODES } from './codes';
import { describeError } from './errors';
import { applyException, findException, type ExceptionLookup, type ExceptionSettings } from './exceptions';
import { MAX_ANNOTATION, cutAnnotation } from './annotation';
import type { ParameterSpecs, ParameterValues } from './parameters';
import type { RuleDefinition, SweptResource, Verdict } from './types';

/** A verdict and, when a documented exception decided it, that exception. */
export interface Judgement {
  readonly verdict: Verdict;
  readonly exception?: Extract<ExceptionLookup, { kind: 'valid' }>;
}

export function judge<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  facts: Facts,
  tags: Readonly<Record<string, string>>,
  params: ParameterValues<P>,
  exceptions: ExceptionSettings,
): Judgement {
  const verdict = rule.evaluate(facts, params);
  if (verdict.compliance !== 'NON_COMPLIANT') return { verdict };
  const lookup = findException(tags, rule.control, rule.exceptionQualifiers?.(facts), exceptions);
  const judged = applyException(verdict, lookup, rule.wideExceptionLabel);
  return lookup.kind === 'valid' ? { verdict: judged, exception: lookup } : { verdict: judged };
}

export function decide<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  facts: Facts,
  tags: Readonly<Record<string, string>>,
  params: ParameterValues<P>,
  exceptions: ExceptionSettings,
): Verdict {
  return judge(rule, facts, tags, params, exceptions).verdict;
}

/** As `judge`, reading tags on demand and only for a resource that would fail. */
export async function judgeSwept<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  resource: SweptResource<Facts>,
  params: ParameterValues<P>,
  exceptions: ExceptionSettings,
): Promise<Judgement> {
  const verdict = rule.evaluate(resource.facts, params);
  if (verdict.compliance !== 'NON_COMPLIANT') return { verdict };
  let tags: Readonly<Record<string, string>>;
  try {
    tags = typeof resource.tags === 'function' ? await resource.tags() : resource.tags;
  } catch (error) {
    // Fail closed: without its tags no exception can be established. The reason must survive the 256-char cut.
    const reason = ` (Exception tags could not be read: ${describeError(error).slice(0, 80)})`;
    const room = MAX_ANNOTATION - reason.length;
    const head =
      verdict.annotation.length > room ? `${verdict.annotation.slice(0, room - 3)}...` : verdict.annotation;
    return {
      verdict: {
        compliance: 'NON_COMPLIANT',
        code: CORE_CODES.exceptionTagsUnreadable,
        annotation: cutAnnotation(`${head}${reason}`),
      },
    };
  }
  return judge(rule, resource.facts, tags, params, exceptions);
}

export async function decideSwept<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  resource: SweptResource<Facts>,
  params: ParameterValues<P>,
  exceptions: ExceptionSettings,
): Promise<Verdict> {
  return (await judgeSwept(rule, resource, params, exceptions)).verdict;
}
