/** When an invocation must stop: the sweep leaves time to deliver, and delivery stops while there is time to say what was lost. */

/** The part of Lambda's context the runtime uses. */
export interface LambdaContext {
  readonly getRemainingTimeInMillis?: () => number;
}

export interface TimeBudget {
  readonly sweepHasTime: () => boolean;
  readonly deliveryHasTime: () => boolean;
  readonly remainingMs: () => number | undefined;
  /** How long delivery may still take before the reserve for failing loudly; undefined outside Lambda. */
  readonly deliveryMsLeft: () => number | undefined;
}

export function timeBudget(context: LambdaContext | undefined): TimeBudget {
  const remaining = context?.getRemainingTimeInMillis;
  if (remaining === undefined) {
    return {
      sweepHasTime: () => true,
      deliveryHasTime: () => true,
      remainingMs: () => undefined,
      deliveryMsLeft: () => undefined,
    };
  }
  const initial = remaining.call(context);
  // A quarter of the budget (at most a minute) is kept for delivery; the last 5% (at most 5 s) for failing loudly.
  const sweepReserve = Math.min(60_000, initial * 0.25);
  const deliveryReserve = Math.min(5_000, initial * 0.05);
  return {
    sweepHasTime: () => remaining.call(context) > sweepReserve,
    deliveryHasTime: () => remaining.call(context) > deliveryReserve,
    remainingMs: () => remaining.call(context),
    deliveryMsLeft: () => remaining.call(context) - deliveryReserve,
  };
}
