/**
 * The answer a Lambda hook returns (CloudFormation Hooks User Guide, "Lambda Hooks", response):
 *
 *   { hookStatus: SUCCESS | FAILED | IN_PROGRESS, errorCode: NonCompliant | InternalFailure, message,
 *     clientRequestToken, callbackContext, callbackDelaySeconds }
 *
 * The message is what the stack's events show as the hook's status reason, which the CloudFormation API keeps to
 * 1 to 1,024 characters (StackEvent.HookStatusReason in the API Reference): every message is cut to fit.
 */

export type HookStatus = 'SUCCESS' | 'FAILED' | 'IN_PROGRESS';
export type HookErrorCode = 'NonCompliant' | 'InternalFailure';

export interface HookResponse {
  readonly hookStatus: HookStatus;
  readonly errorCode?: HookErrorCode;
  readonly message: string;
  readonly clientRequestToken?: string;
  readonly callbackContext?: Readonly<Record<string, unknown>>;
  readonly callbackDelaySeconds?: number;
}

/** StackEvent.HookStatusReason: minimum 1, maximum 1,024 characters. */
export const MAX_HOOK_MESSAGE = 1024;

const MASK = '****';

/**
 * Property names whose values are secrets (a DMS endpoint's `Password`, a replication group's `AuthToken`, SASL/SCRAM
 * passwords, secret keys). The decisions never put such a value in a message; this is the second line: any of these
 * values found in a message is masked before it leaves the function.
 */
const SECRET_NAME = /pass(word|phrase)?$|passwd|secret|token|credential|private.?key/i;
/** Shorter values would mask ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Every secret-bearing string value anywhere in the properties. */
export function secretValues(...sources: readonly unknown[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, secretContext: boolean): void => {
    if (typeof value === 'string') {
      if (secretContext && value.length >= MIN_SECRET_LENGTH) found.add(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, secretContext);
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, secretContext || SECRET_NAME.test(key));
    }
  };
  for (const source of sources) walk(source, false);
  // Longest first, so a secret containing another is masked whole.
  return [...found].sort((a, b) => b.length - a.length);
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) masked = masked.split(secret).join(MASK);
  return masked;
}

/** One line of text, within the documented maximum (an empty message is refused: say something). */
export function fitMessage(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim() || 'authn-pack hook: no message';
  return clean.length <= MAX_HOOK_MESSAGE ? clean : `${clean.slice(0, MAX_HOOK_MESSAGE - 3)}...`;
}

/**
 * Several findings in one message: each keeps an equal share of the room, so the last one is not lost to a long
 * first one (a finding cut short ends in "...").
 */
export function joinFindings(parts: readonly string[]): string {
  const separator = ' | ';
  const clean = parts.map((part) => part.replace(/\s+/g, ' ').trim()).filter((part) => part !== '');
  const joined = clean.join(separator);
  if (joined.length <= MAX_HOOK_MESSAGE) return joined;
  const share = Math.floor((MAX_HOOK_MESSAGE - separator.length * (clean.length - 1)) / clean.length);
  return clean
    .map((part) => (part.length <= share ? part : `${part.slice(0, share - 3)}...`))
    .join(separator);
}

export function respond(
  status: HookStatus,
  message: string,
  options: {
    readonly token?: string;
    readonly errorCode?: HookErrorCode;
    readonly secrets?: readonly string[];
    readonly callbackContext?: Readonly<Record<string, unknown>>;
    readonly callbackDelaySeconds?: number;
  } = {},
): HookResponse {
  return {
    hookStatus: status,
    ...(options.errorCode === undefined ? {} : { errorCode: options.errorCode }),
    message: fitMessage(maskSecrets(message, options.secrets ?? [])),
    ...(options.token === undefined ? {} : { clientRequestToken: options.token }),
    ...(options.callbackContext === undefined ? {} : { callbackContext: options.callbackContext }),
    ...(options.callbackDelaySeconds === undefined
      ? {}
      : { callbackDelaySeconds: options.callbackDelaySeconds }),
  };
}
