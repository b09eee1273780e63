/**
 * A rule's decision plus the exception convention: the one path every consumer (Lambda, scan, template check)
 * takes from facts and tags to a verdict.
 */
import { describeError } from './errors';
import { applyException, findException, type ExceptionSettings } from './exceptions';
import { cutAnnotation } from './annotation';
import type { ParameterSpecs, ParameterValues } from './parameters';
import type { RuleDefinition, SweptResource, Verdict } from './types';

export function decide<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  facts: Facts,
  tags: Readonly<Record<string, string>>,
  params: ParameterValues<P>,
  exceptions: ExceptionSettings,
): Verdict {
  const verdict = rule.evaluate(facts, params);
  if (verdict.compliance !== 'NON_COMPLIANT') return verdict;
  const qualifiers = rule.exceptionQualifiers?.(facts);
  return applyException(verdict, findException(tags, rule.control, qualifiers, exceptions), rule.wideExceptionLabel);
}

/** As `decide`, reading tags on demand and only for a resource that would fail. */
export async function decideSwept<Facts, Client, P extends ParameterSpecs>(
  rule: RuleDefinition<Facts, Client, P>,
  resource: SweptResource<Facts>,
  params: ParameterValues<P>,
  exceptions: ExceptionSettings,
): Promise<Verdict> {
  const verdict = rule.evaluate(resource.facts, params);
  if (verdict.compliance !== 'NON_COMPLIANT') return verdict;
  let tags: Readonly<Record<string, string>>;
  try {
    tags = typeof resource.tags === 'function' ? await resource.tags() : resource.tags;
  } catch (error) {
    // Fail closed: without its tags no exception can be established.
    return {
      compliance: 'NON_COMPLIANT',
      annotation: cutAnnotation(`${verdict.annotation} (Exception tags could not be read: ${describeError(error)})`),
    };
  }
  const qualifiers = rule.exceptionQualifiers?.(resource.facts);
  return applyException(verdict, findException(tags, rule.control, qualifiers, exceptions), rule.wideExceptionLabel);
}
