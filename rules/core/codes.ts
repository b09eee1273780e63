/**
 * Reason codes of the verdicts core decides itself, whatever the rule: a resource it does not evaluate, facts or
 * tags it could not read, an exception tag it could not honour, a roll-up onto the parent. A rule's own codes are
 * declared in its decision.ts; an exempted verdict keeps its rule's code (the exception is a field of its own).
 */
export const CORE_CODES = {
  /** The configuration item is of another type than the rule evaluates. */
  otherResourceType: 'resource-type-not-evaluated',
  /** The item is deleted, or not recorded (`ResourceDeleted`, `ResourceNotRecorded`, …). */
  notEvaluatedStatus: 'resource-status-not-evaluated',
  /** Config says the resource left the rule's scope. */
  leftScope: 'resource-left-scope',
  /** A periodic rule no longer finds a resource Config still holds a verdict for. */
  noLongerFound: 'resource-no-longer-found',
  /** The configuration of an oversized item could not be fetched. */
  configurationUnreadable: 'configuration-unreadable',
  /** A failing resource's tags could not be read, so no exception can be established. */
  exceptionTagsUnreadable: 'exception-tags-unreadable',
  /** An exception tag names the control but is malformed, expired or lacks a required expiry. */
  exceptionTagInvalid: 'exception-tag-invalid',
  /** Roll-up onto the parent when Config refuses the rule's own type: at least one child fails. */
  childrenFailing: 'children-failing',
  /** Roll-up onto the parent: no child fails. */
  childrenPassing: 'children-passing',
  /** A template value the decision needs is known only at deploy. */
  templateUnverifiable: 'template-value-unverifiable',
} as const;

export type CoreCode = (typeof CORE_CODES)[keyof typeof CORE_CODES];
