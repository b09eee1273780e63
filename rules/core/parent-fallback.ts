/**
 * When PutEvaluations refuses a rule's resource type (Config checks it against a permitted list; awslabs/aws-config-rdk
 * issue #290 shows the message), a rule whose resources all have a taggable parent reports one roll-up evaluation
 * per parent instead: NON_COMPLIANT if any child is, else COMPLIANT if any child is, else NOT_APPLICABLE.
 */
import { CORE_CODES } from './codes';
import { toEvaluation, type Evaluation } from './delivery';
import { ResourceTypeRejectedError } from './errors';
import { resourceKey } from './stale';
import type { Compliance, SweptResource, Verdict } from './types';

export type Parent = NonNullable<SweptResource<unknown>['parent']>;

/** Words for a rule's resources in a parent's roll-up, when the rule names none. */
export const DEFAULT_CHILD_NOUN = 'resources';

/**
 * The parents to report on instead, when `error` is Config refusing the rule's own type and every resource has a
 * parent; otherwise undefined (the error stands).
 */
export function fallbackParents(
  error: unknown,
  ruleResourceType: string,
  parents: readonly (Parent | undefined)[],
): readonly Parent[] | undefined {
  if (!(error instanceof ResourceTypeRejectedError) || error.resourceType !== ruleResourceType)
    return undefined;
  const known = parents.filter((parent) => parent !== undefined);
  return known.length === parents.length ? known : undefined;
}

/** One evaluation per parent, `children[i]` being the evaluation of the resource whose parent is `swept[i].parent`. */
export function evaluationsPerParent(
  swept: readonly { readonly parent?: Parent }[],
  evaluations: readonly Evaluation[],
  orderingTimestamp: Date,
  childNoun: string = DEFAULT_CHILD_NOUN,
): Evaluation[] {
  const groups = new Map<string, { parent: Parent; children: Evaluation[] }>();
  swept.forEach((resource, index) => {
    const evaluation = evaluations[index];
    if (resource.parent === undefined || evaluation === undefined) return;
    const key = resourceKey(resource.parent.resourceType, resource.parent.resourceId);
    const group = groups.get(key) ?? { parent: resource.parent, children: [] };
    group.children.push(evaluation);
    groups.set(key, group);
  });
  return [...groups.values()].map(({ parent, children }) =>
    rollUp(parent, children, orderingTimestamp, childNoun),
  );
}

function rollUp(
  parent: Parent,
  children: readonly Evaluation[],
  orderingTimestamp: Date,
  childNoun: string,
): Evaluation {
  const verdict = rollUpVerdict(parent, children, childNoun);
  return toEvaluation(parent, verdict.compliance, verdict.annotation, orderingTimestamp);
}

/** The parent's verdict over its children's evaluations, with core's roll-up code. */
export function rollUpVerdict(parent: Parent, children: readonly Evaluation[], childNoun: string): Verdict {
  const failing = children.filter((child) => child.ComplianceType === 'NON_COMPLIANT');
  if (failing.length > 0) {
    const first = failing[0]?.Annotation ?? '';
    return {
      compliance: 'NON_COMPLIANT',
      code: CORE_CODES.childrenFailing,
      annotation: `${failing.length} of ${children.length} ${childNoun} of ${parent.resourceName} fail. First: ${first}`,
    };
  }
  const compliance: Compliance = children.some((child) => child.ComplianceType === 'COMPLIANT')
    ? 'COMPLIANT'
    : 'NOT_APPLICABLE';
  return {
    compliance,
    code: CORE_CODES.childrenPassing,
    annotation: `All ${children.length} ${childNoun} of ${parent.resourceName} pass or are exempt.`,
  };
}
