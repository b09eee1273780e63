/** Errors a rule invocation can end with. Each names what went wrong in words a rule owner can act on. */

/** The Lambda event is not a Config rule event we can read. Nothing is evaluated. */
export class MalformedEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`Malformed Config rule event: ${message}`, options);
    this.name = 'MalformedEventError';
  }
}

/** A rule parameter has a value the rule does not accept. Nothing is evaluated. */
export class ParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`Invalid rule parameter ${parameter}: ${message}`);
    this.name = 'ParameterError';
  }
}

/** Some evaluations could not be delivered to Config. The invocation fails so Config shows the rule as failed. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly delivered: number,
    readonly undelivered: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** PutEvaluations refused the resource type itself ("The resource type … is invalid"). */
export class ResourceTypeRejectedError extends Error {
  constructor(
    readonly resourceType: string,
    options?: { cause?: unknown },
  ) {
    super(`PutEvaluations rejected the resource type ${resourceType}`, options);
    this.name = 'ResourceTypeRejectedError';
  }
}

/** The sweep could not read every resource; nothing is reported (a partial sweep would wrongly feed stale cleanup). */
export class IncompleteSweepError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IncompleteSweepError';
  }
}

/** The Lambda invocation is about to run out of time; work stops while there is still time to say so. */
export class OutOfTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutOfTimeError';
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
