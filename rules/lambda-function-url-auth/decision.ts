/** The function URL decision and its fixes: pure, over FunctionUrlFacts. */
import type { RemediationTarget, Verdict } from '../core/types';
import type { FunctionUrlFacts } from './facts';

/** Every reason code this decision gives (stable: users filter and dedupe on them, the docs list them). */
export const FUNCTION_URL_CODES = [
  'lambda-url-auth-iam',
  'lambda-url-auth-none',
  'lambda-url-auth-type-missing',
  'lambda-url-auth-type-unrecognised',
] as const;
export type FunctionUrlCode = (typeof FUNCTION_URL_CODES)[number];

export const describeUrl = (facts: FunctionUrlFacts): string =>
  facts.qualifier === undefined
    ? `Function URL of "${facts.functionName}"`
    : `Function URL of "${facts.functionName}" alias "${facts.qualifier}"`;

export function evaluateFunctionUrl(facts: FunctionUrlFacts): Verdict<FunctionUrlCode> {
  const url = describeUrl(facts);
  if (facts.authType === 'AWS_IAM') {
    return {
      compliance: 'COMPLIANT',
      code: 'lambda-url-auth-iam',
      annotation: `${url} requires IAM (SigV4-signed) requests.`,
    };
  }
  if (facts.authType === 'NONE') {
    return {
      compliance: 'NON_COMPLIANT',
      code: 'lambda-url-auth-none',
      annotation: `${url} has AuthType NONE: Lambda authenticates nobody and the URL is on the internet. Set AuthType AWS_IAM (front browsers with CloudFront OAC), or document an exception tag on the function.`,
    };
  }
  return {
    compliance: 'NON_COMPLIANT',
    code: facts.authType === undefined ? 'lambda-url-auth-type-missing' : 'lambda-url-auth-type-unrecognised',
    annotation:
      facts.authType === undefined
        ? `${url} reports no AuthType; authentication not verified. Set AuthType AWS_IAM.`
        : `${url} has an unrecognised AuthType "${facts.authType.slice(0, 30)}"; authentication not verified. Set AuthType AWS_IAM.`,
  };
}

export function functionUrlRemediation(facts: FunctionUrlFacts): string {
  const region = facts.region === undefined ? '' : ` --region ${facts.region}`;
  const qualifier = facts.qualifier === undefined ? '' : ` --qualifier ${facts.qualifier}`;
  return (
    `aws lambda update-function-url-config${region} --function-name ${facts.functionName}${qualifier} --auth-type AWS_IAM` +
    ` && aws lambda remove-permission${region} --function-name ${facts.functionName}${qualifier} --statement-id FunctionURLAllowPublicAccess  # the public grant NONE needed, if present`
  );
}

/** `arn:<partition>:lambda:<region>:<account>:function:<name>[:<alias>]` → name and alias. */
export function parseFunctionArn(
  arn: string,
): { readonly name: string; readonly qualifier: string | undefined } | undefined {
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$/.exec(arn);
  if (match?.[1] === undefined) return undefined;
  return { name: match[1], qualifier: match[2] === '$LATEST' ? undefined : match[2] };
}

/**
 * The fix from what an evaluation result names: the URL's function ARN (with `:<alias>` for an alias URL), or the
 * function name when the rule had to report on `AWS::Lambda::Function`.
 */
export function functionUrlRemediationHint(target: RemediationTarget): string {
  const parsed = parseFunctionArn(target.resourceId);
  const name =
    parsed?.name ?? (/^[A-Za-z0-9_-]{1,64}$/.test(target.resourceId) ? target.resourceId : '<function-name>');
  const fix = functionUrlRemediation({
    functionName: name,
    functionArn: undefined,
    qualifier: parsed?.qualifier,
    authType: 'NONE',
    functionUrl: undefined,
    region: target.region,
  });
  return parsed === undefined ? `${fix}  # and for each alias URL: --qualifier <alias>` : fix;
}
