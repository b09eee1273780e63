/**
 * The pack's one error model. Every error the pack throws on purpose is a `PackError`: a message a rule owner or
 * CLI user can act on, a stable `code` (for logs, alarms and scripts; never parse the message), and the exit status
 * the CLI ends with for it (README "The command line": 0 done, 1 a failing resource, 2 a usage error, 3 something
 * could not be read). Problems with one resource are not errors: they are NON_COMPLIANT verdicts with the reason.
 */

/** The CLI's exit statuses, as the README documents them. */
export const EXIT = { done: 0, failing: 1, usage: 2, unreadable: 3 } as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

export abstract class PackError extends Error {
  /** Stable and machine-readable, e.g. `delivery` or `malformed-event`. */
  abstract readonly code: string;
  /** What the CLI exits with when this error ends a command. */
  abstract readonly exitStatus: ExitStatus;
}

// Invocation errors below exit 1 from `authn-pack invoke`, as they always have; a Lambda invocation simply fails.

/** The Lambda event is not a Config rule event we can read. Nothing is evaluated. */
export class MalformedEventError extends PackError {
  override readonly name = 'MalformedEventError';
  readonly code = 'malformed-event';
  readonly exitStatus = EXIT.failing;
  constructor(message: string, options?: { cause?: unknown }) {
    super(`Malformed Config rule event: ${message}`, options);
  }
}

/** A rule parameter has a value the rule does not accept. Nothing is evaluated. */
export class ParameterError extends PackError {
  override readonly name = 'ParameterError';
  readonly code = 'parameter';
  readonly exitStatus = EXIT.usage;
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`Invalid rule parameter ${parameter}: ${message}`);
  }
}

/** Some evaluations could not be delivered to Config. The invocation fails so Config shows the rule as failed. */
export class DeliveryError extends PackError {
  override readonly name = 'DeliveryError';
  readonly code = 'delivery';
  readonly exitStatus = EXIT.failing;
  /** Of the undelivered, how many went out in a call abandoned at the Lambda deadline (Config may hold them). */
  readonly unconfirmed: number;
  constructor(
    message: string,
    readonly delivered: number,
    readonly undelivered: number,
    options?: { cause?: unknown; unconfirmed?: number },
  ) {
    super(message, options);
    this.unconfirmed = options?.unconfirmed ?? 0;
  }
}

/** PutEvaluations refused the resource type itself ("The resource type … is invalid"). */
export class ResourceTypeRejectedError extends PackError {
  override readonly name = 'ResourceTypeRejectedError';
  readonly code = 'resource-type-rejected';
  readonly exitStatus = EXIT.failing;
  constructor(
    readonly resourceType: string,
    options?: { cause?: unknown },
  ) {
    super(`PutEvaluations rejected the resource type ${resourceType}`, options);
  }
}

/** The sweep could not read every resource; nothing is reported (a partial sweep would wrongly feed stale cleanup). */
export class IncompleteSweepError extends PackError {
  override readonly name = 'IncompleteSweepError';
  readonly code = 'incomplete-sweep';
  readonly exitStatus = EXIT.failing;
}

/** The results Config holds could not be read, so stale cleanup did not happen (what was found was delivered). */
export class IncompleteCleanupError extends PackError {
  override readonly name = 'IncompleteCleanupError';
  readonly code = 'incomplete-cleanup';
  readonly exitStatus = EXIT.failing;
}

/** The execution role could not be assumed: nothing reached Config. */
export class ExecutionRoleError extends PackError {
  override readonly name = 'ExecutionRoleError';
  readonly code = 'execution-role';
  readonly exitStatus = EXIT.failing;
}

/** The Lambda invocation is about to run out of time; work stops while there is still time to say so. */
export class OutOfTimeError extends PackError {
  override readonly name = 'OutOfTimeError';
  readonly code = 'out-of-time';
  readonly exitStatus = EXIT.failing;
}

/** The state table (state-store.ts) could not be read or written, or a conditional write lost to another invocation. */
export class StateStoreError extends PackError {
  override readonly name = 'StateStoreError';
  readonly code = 'state-store';
  readonly exitStatus = EXIT.failing;
  constructor(
    message: string,
    /** True when a condition failed (another invocation changed the record first), not an I/O fault. */
    readonly conflict = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A short, secret-free description of any thrown value (error name and message only). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}

/** Whether a thrown value is the service error of that name (by name: a bundle may hold two copies of a class). */
export function isErrorNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
